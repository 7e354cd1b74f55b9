//! Checks on an .xlsx made before it is parsed, from what the archive declares and from the
//! first bytes of its parts, so a hostile file is refused in milliseconds instead of exhausting
//! memory: a zip bomb (huge declared sizes or ratios), a sheet declaring a range far beyond
//! anything an office sends, a shared-string table declaring millions of entries.

use crate::book::BookError;
use std::io::{Cursor, Read};

/// No part may expand to more than this.
const MAX_PART_BYTES: u64 = 400 * 1024 * 1024;
/// Nor may the parts together.
const MAX_TOTAL_BYTES: u64 = 600 * 1024 * 1024;
/// Spreadsheet XML compresses well (10–30×); a bomb compresses by thousands.
const MAX_RATIO: u64 = 250;
/// Rows and columns a declared sheet range may span.
const MAX_ROWS: u64 = 1_100_000;
const MAX_COLS: u64 = 300;
/// Entries a shared-string table may declare.
const MAX_SHARED_STRINGS: u64 = 10_000_000;

pub fn check_xlsx(bytes: &[u8]) -> Result<(), BookError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| BookError::NotSpreadsheet(format!("压缩包结构无效（{e}）")))?;
    let mut total: u64 = 0;
    let mut has_workbook = false;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| BookError::Corrupt(e.to_string()))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let (size, packed) = (entry.size(), entry.compressed_size());
        has_workbook |= name == "xl/workbook.xml";
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(BookError::Corrupt(format!(
                "部件 {name} 解压后达 {} MB，超过上限（疑似压缩炸弹）",
                size / 1024 / 1024
            )));
        }
        if size > 1024 * 1024 && size / packed.max(1) > MAX_RATIO {
            return Err(BookError::Corrupt(format!(
                "部件 {name} 的压缩比为 {}:1，远超正常工作簿（疑似压缩炸弹）",
                size / packed.max(1)
            )));
        }
    }
    if !has_workbook {
        return Err(BookError::NotSpreadsheet(
            "压缩包中没有 xl/workbook.xml".into(),
        ));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    for name in names {
        let sheet = name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml");
        let strings = name == "xl/sharedStrings.xml";
        if !sheet && !strings {
            continue;
        }
        let head = head_of(&mut zip, &name)?;
        if sheet {
            if let Some(r) = attribute_after(&head, "<dimension", "ref") {
                check_dimension(&name, &r)?;
            }
        } else if let Some(n) = attribute_after(&head, "<sst", "uniqueCount")
            .or_else(|| attribute_after(&head, "<sst", "count"))
            .and_then(|v| v.parse::<u64>().ok())
            && n > MAX_SHARED_STRINGS
        {
            return Err(BookError::Corrupt(format!(
                "共享字符串表声明了 {n} 项，超过上限"
            )));
        }
    }
    Ok(())
}

/// The first 4 KB of a part, decompressed.
fn head_of(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, BookError> {
    let entry = zip
        .by_name(name)
        .map_err(|e| BookError::Corrupt(e.to_string()))?;
    let mut head = Vec::with_capacity(4096);
    entry
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| BookError::Corrupt(e.to_string()))?;
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The value of `attr` in the first `<tag …>` of `xml`.
fn attribute_after(xml: &str, tag: &str, attr: &str) -> Option<String> {
    let start = xml.find(tag)?;
    let end = xml[start..].find('>')? + start;
    let element = &xml[start..end];
    let key = format!(" {attr}=\"");
    let at = element.find(&key)? + key.len();
    let len = element[at..].find('"')?;
    Some(element[at..at + len].to_string())
}

fn check_dimension(part: &str, range: &str) -> Result<(), BookError> {
    let last = range.rsplit(':').next().unwrap_or(range);
    let letters: String = last.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters.bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u64 = last[letters.len()..].parse().unwrap_or(0);
    if row > MAX_ROWS || col > MAX_COLS {
        return Err(BookError::Corrupt(format!(
            "{part} 声明的区域 {range} 超出上限（最多 {MAX_ROWS} 行、{MAX_COLS} 列）"
        )));
    }
    Ok(())
}
