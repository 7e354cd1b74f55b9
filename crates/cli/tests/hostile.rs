//! Hostile files, through the real binary: each is refused with a reason in Chinese within
//! 2 s, nothing is stored, and the parse never takes more than its child process's memory.

use rust_xlsxwriter::Workbook;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;

/// A folder for one test's files, removed when the test ends (they include a 50 MB file).
struct Dir(PathBuf);

impl Dir {
    fn new(test: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("hezuo-hostile-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `hezuo import projects FILE --json` on an empty database: (exit code, first error, time).
fn import(dir: &Dir, name: &str, bytes: &[u8]) -> (Option<i32>, String, Duration) {
    let dir = &dir.0;
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let db = format!("sqlite://{}", dir.join(format!("{name}.db")).display());
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .args([
            "--db",
            &db,
            "import",
            "projects",
            file.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    let took = start.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let message = v["errors"][0]["message"].as_str().unwrap_or("").to_string();
    (out.status.code(), message, took)
}

/// A zip holding `parts`, each deflated.
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        z.start_file(*name, SimpleFileOptions::default()).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A real workbook whose parts are then replaced or added.
fn workbook_with(extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.add_worksheet().write(0, 0, "项目名称").unwrap();
    let base = wb.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        parts.push((f.name().unwrap().to_string(), data));
    }
    for (name, data) in extra {
        parts.retain(|(n, _)| n != name);
        parts.push((name.to_string(), data.clone()));
    }
    let refs: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip(&refs)
}

fn sheet_xml(dimension: &str, body: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"{dimension}\"/><sheetData>{body}</sheetData></worksheet>"
    )
    .into_bytes()
}

#[track_caller]
fn refused(dir: &Dir, name: &str, bytes: &[u8], expect: &str) {
    let (code, message, took) = import(dir, name, bytes);
    assert_eq!(code, Some(1), "{name}: {message}");
    assert!(message.contains(expect), "{name}: {message}");
    assert!(took < Duration::from_secs(2), "{name} took {took:?}");
}

#[test]
fn hostile_files_are_refused_within_two_seconds_with_a_reason() {
    let dir = Dir::new("corpus");
    // Not a workbook, whatever the name says.
    refused(
        &dir,
        "renamed.xlsx",
        b"%PDF-1.7\n\x00\x01binary",
        "不是有效的",
    );
    refused(
        &dir,
        "broken.xlsx",
        b"PK\x03\x04garbage",
        "不是有效的 Excel",
    );
    // Over 50 MB.
    refused(
        &dir,
        "big.xlsx",
        &vec![b' '; 50 * 1024 * 1024 + 1],
        "超过 50 MB",
    );
    // A zip bomb: 200 MB of one byte in a few hundred KB.
    let zeros = vec![b'0'; 200 * 1024 * 1024];
    refused(
        &dir,
        "bomb.xlsx",
        &workbook_with(&[("xl/worksheets/sheet1.xml", zeros)]),
        "压缩炸弹",
    );
    // A sheet declaring all of XFD1048576.
    refused(
        &dir,
        "xfd.xlsx",
        &workbook_with(&[("xl/worksheets/sheet1.xml", sheet_xml("A1:XFD1048576", ""))]),
        "超出上限",
    );
    // A shared-string table declaring a billion entries.
    let sst = b"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1000000000\" uniqueCount=\"1000000000\"><si><t>a</t></si></sst>".to_vec();
    refused(
        &dir,
        "sst.xlsx",
        &workbook_with(&[("xl/sharedStrings.xml", sst)]),
        "共享字符串",
    );
}

/// Sets the uncompressed size the archive declares for every part (local headers and the
/// central directory), leaving the data as it is: what a bomb does to slip past size checks.
fn lie_about_sizes(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        let sig = u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let at = match sig {
            0x0403_4b50 => Some(i + 22),
            0x0201_4b50 => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            bytes[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
    bytes
}

#[test]
fn a_bomb_that_lies_about_its_size_is_stopped_at_the_size_it_declares() {
    // One inline string of 100 MB of "A", declared as 1 KB: it passes the checks made on the
    // declared sizes, and the reader stops it at the declared size.
    let mut body = String::from("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
    body.push_str(&"A".repeat(100 * 1024 * 1024));
    body.push_str("</t></is></c></row>");
    let sheet = sheet_xml("A1", &body);
    drop(body);
    let bytes = lie_about_sizes(workbook_with(&[("xl/worksheets/sheet1.xml", sheet)]), 1024);
    let dir = Dir::new("liar");
    let (code, message, took) = import(&dir, "liar.xlsx", &bytes);
    assert_eq!(code, Some(1), "{message}");
    assert!(message.contains("经过恶意构造"), "{message}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}
