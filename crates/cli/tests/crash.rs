//! Crash safety (等保三级): `kill -9` of the server during a burst of writes loses none that
//! were acknowledged (each with its audit row), and `kill -9` of an import at any moment leaves
//! all of the workbook's rows or none of them — on SQLite and on PostgreSQL. After each kill the
//! database is checked and the server starts again on it.

use rust_xlsxwriter::Workbook;
use sqlx::{AnyConnection, Connection};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;
use support::*;

/// A migrated database with the city's dictionaries and a few projects, an office account
/// `crash` and an API token for it.
fn prepare(db: &str) -> String {
    ok(hezuo(db, &["migrate"]));
    ok(hezuo(
        db,
        &["bench-data", "--projects", "20", "--months", "1"],
    ));
    let mut add = Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .args(["--db", db, "user", "add", "crash", "--role", "office"])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"Crash2024test\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let out = ok(hezuo(db, &["token", "create", "crash"]));
    out.lines().last().unwrap().trim().to_string()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `hezuo serve` on `db`, answering on the port returned.
fn serve(db: &str) -> (Child, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .args(["--db", db, "serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while request(port, "GET", "/login", None, "").map(|r| r.0) != Ok(200) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

/// One HTTP/1.1 request on its own connection: the status and the body.
fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())
        .and_then(|()| s.write_all(body.as_bytes()))
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status in {text:?}"))?;
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok((status, body.to_string()))
}

fn project_body(i: u64) -> String {
    serde_json::json!({
        "name": format!("崩溃测试项目{i}"),
        "kind": "industrial",
        "stage": "lead",
        "stage_date": "2024-01-10",
        "currency": "CNY",
        "investment_wan": format!("{}", 1000 + i),
        "origin": "shanghai",
        "district_code": "330502",
    })
    .to_string()
}

async fn connect(db: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(db).await.unwrap()
}

/// Writers post projects through the API until the server is killed under them; every project
/// the server acknowledged (201 with its id) is then in the database as sent, with the audit
/// row written in its transaction, and nothing else of the burst is half there.
fn writes_survive_a_kill(db: &str) {
    let token = prepare(db);
    let (mut server, port) = serve(db);
    let acknowledged: Arc<Mutex<Vec<(u64, i64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4u64)
        .map(|w| {
            let (acknowledged, stop, token) = (acknowledged.clone(), stop.clone(), token.clone());
            std::thread::spawn(move || {
                let mut i = w;
                while !stop.load(Ordering::Relaxed) {
                    match request(
                        port,
                        "POST",
                        "/api/v1/projects",
                        Some(&token),
                        &project_body(i),
                    ) {
                        Ok((201, body)) => {
                            let id =
                                serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
                                    .as_i64()
                                    .unwrap();
                            acknowledged.lock().unwrap().push((i, id));
                        }
                        Ok((status, body)) => panic!("write {i} refused: {status} {body}"),
                        // The server is gone: this write was never acknowledged.
                        Err(_) => break,
                    }
                    i += 4;
                }
            })
        })
        .collect();
    let start = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the writers made no progress"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    runtime().block_on(async {
        let mut conn = connect(db).await;
        if db.starts_with("sqlite") {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            assert_eq!(check, "ok");
        }
        let stored: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, name, investment_orig FROM projects WHERE name LIKE '崩溃测试项目%'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for (i, id) in &acknowledged {
            let row = stored.iter().find(|r| r.0 == *id).unwrap_or_else(|| {
                panic!("acknowledged write {i} (project {id}) was lost")
            });
            assert_eq!(row.1, format!("崩溃测试项目{i}"));
            assert_eq!(row.2, (1000 + *i as i64) * 10_000);
        }
        // Every project of the burst that is stored (acknowledged or caught by the kill after
        // its commit) came with its audit row: no half-written change.
        for (id, name, _) in &stored {
            let audited: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND entity_id = $1 AND action = 'create'",
            )
            .bind(id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            assert_eq!(audited, 1, "{name} has no audit row");
        }
        assert!(stored.len() >= acknowledged.len());
        conn.close().await.ok();
    });

    // The server starts again on the database and serves what was written.
    let (mut again, port) = serve(db);
    let (status, body) = request(
        port,
        "GET",
        "/api/v1/projects?q=崩溃测试项目&per_page=1",
        Some(&token),
        "",
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    again.kill().unwrap();
    again.wait().unwrap();
}

/// A projects workbook of `rows` new projects, named 导入中断测试{n}.
fn big_workbook(path: &std::path::Path, rows: u32) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["项目名称", "区县", "总投资（万元）", "来源地", "签约日期"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write(r, 0, format!("导入中断测试{r}")).unwrap();
        ws.write(r, 1, "吴兴区").unwrap();
        ws.write(r, 2, f64::from(1000 + r)).unwrap();
        ws.write(r, 3, "上海市").unwrap();
        ws.write(r, 4, "2024-05-08").unwrap();
    }
    wb.save(path).unwrap();
}

fn imported(db: &str) -> i64 {
    runtime().block_on(async {
        let mut conn = connect(db).await;
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE name LIKE '导入中断测试%'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.ok();
        n
    })
}

/// `hezuo import` killed at moments 20 ms apart through its run: each time the workbook is in
/// the database entirely or not at all; run to the end, it is all there.
fn an_import_is_all_or_nothing_under_kill(db: &str, dir: &Dir) {
    prepare(db);
    const ROWS: u32 = 3000;
    let file = dir.path("big.xlsx");
    big_workbook(&file, ROWS);
    let mut outcomes = Vec::new();
    // Kills every 20 ms into the run, from the start until a run got to the end: some land
    // while the workbook is read and checked, some while its rows are written, some at commit.
    for delay_ms in (0..10_000u64).step_by(20) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hezuo"))
            .args(["--db", db, "import", "projects"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let n = imported(db);
        assert!(
            n == 0 || n == i64::from(ROWS),
            "killed after {delay_ms} ms: {n} of {ROWS} rows stored"
        );
        outcomes.push((delay_ms, finished, n));
        if n > 0 || finished {
            break;
        }
    }
    eprintln!("kill outcomes (delay ms, had finished, rows stored): {outcomes:?}");
    assert!(
        outcomes.len() >= 10,
        "the import ran too briefly to be killed inside: {outcomes:?}"
    );
    // Run to the end (or again, if one run finished): every row, no duplicates.
    ok(hezuo(db, &["import", "projects", file.to_str().unwrap()]));
    assert_eq!(imported(db), i64::from(ROWS), "{outcomes:?}");
    assert!(
        outcomes.iter().any(|(_, finished, n)| !finished && *n == 0),
        "at least one kill landed inside the import: {outcomes:?}"
    );
}

#[test]
fn sqlite_acknowledged_writes_survive_kill_9() {
    let dir = Dir::new("crash-writes");
    writes_survive_a_kill(&dir.sqlite("t.db"));
}

#[test]
fn postgres_acknowledged_writes_survive_kill_9() {
    let db = PgDb::create("crash_writes");
    writes_survive_a_kill(&db.url);
}

#[test]
fn sqlite_import_is_all_or_nothing_under_kill_9() {
    let dir = Dir::new("crash-import");
    an_import_is_all_or_nothing_under_kill(&dir.sqlite("t.db"), &dir);
}

#[test]
fn postgres_import_is_all_or_nothing_under_kill_9() {
    let dir = Dir::new("crash-import-pg");
    let db = PgDb::create("crash_import");
    an_import_is_all_or_nothing_under_kill(&db.url, &dir);
}
