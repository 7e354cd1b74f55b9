//! Reading an .xlsx in one pass over each sheet. calamine reads the cells as a stream; the
//! merged regions, which a sheet lists after its cells, are found on a second thread by
//! inflating the sheet's part and looking for `<mergeCells>` as bytes, instead of calamine's
//! second full XML parse of the sheet (0.8 s of a 1.4 s read at 100k rows, bench/README.md).

use crate::book::{BookError, MAX_SHEET_CELLS, Merge, SheetSink, cell_text, merges};
use calamine::{DataRef, Reader, Xlsx, XlsxError, open_workbook_from_rs};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::mpsc;

/// Reads every sheet of an .xlsx the guard has let through into `sink`, row by row.
pub(crate) fn read_xlsx(bytes: &[u8], sink: &mut impl SheetSink) -> Result<(), BookError> {
    let mut book: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: XlsxError| BookError::NotSpreadsheet(e.to_string()))?;
    let names = book.sheet_names();
    let parts = zip::ZipArchive::new(Cursor::new(bytes))
        .ok()
        .and_then(|mut zip| sheet_parts(&mut zip))
        .unwrap_or_default();
    // A sheet whose part the workbook's relationships do not name plainly: calamine reads its
    // merged regions (a second parse of it), before its cells.
    let mut known: Vec<Option<Vec<Merge>>> = names
        .iter()
        .map(|name| {
            (!parts.contains_key(name))
                .then(|| merges(book.merge_cells_by_sheet_name(name).unwrap_or_default()))
        })
        .collect();
    let (found, merges) = mpsc::channel::<Vec<Merge>>();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        // One list per sheet, in order (empty for those read above).
        s.spawn(|| {
            let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
                return;
            };
            for name in &names {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let list = parts
                    .get(name)
                    .and_then(|part| zip.by_name(part).ok())
                    .map(scan_merges)
                    .unwrap_or_default();
                if found.send(list).is_err() {
                    return;
                }
            }
        });
        let read = names.iter().zip(&mut known).try_for_each(|(name, known)| {
            let merged = known.take();
            stream_sheet(&mut book, name, merged, &merges, sink)
        });
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        read
    })
}

/// Rows kept back between two looks at whether a sheet's merged regions are known.
const LOOK_EVERY: usize = 256;

/// Reads one sheet's cells as a stream into `sink`: its rows as text, trailing blanks dropped,
/// once its merged regions are known (`merged`, or the next list `merges` gives; rows read
/// before that are kept back).
fn stream_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    merged: Option<Vec<Merge>>,
    merges: &mpsc::Receiver<Vec<Merge>>,
    sink: &mut impl SheetSink,
) -> Result<(), BookError> {
    // The scanning thread gives one list per sheet, whichever is used.
    let mut scanned = None;
    let mut merged = merged;
    let mut look = |block: bool, merged: &mut Option<Vec<Merge>>| {
        if scanned.is_none() {
            scanned = if block {
                merges.recv().ok()
            } else {
                merges.try_recv().ok()
            };
            if scanned.is_none() && block {
                scanned = Some(Vec::new());
            }
        }
        if merged.is_none() {
            merged.clone_from(&scanned);
        }
    };
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet has no cells.
        Err(XlsxError::NotAWorksheet(_)) => {
            look(true, &mut merged);
            sink.begin(name, 0, merged.as_deref().unwrap_or_default())?;
            return sink.end();
        }
        Err(e) => return Err(BookError::Corrupt(e.to_string())),
    };
    let declared = reader.dimensions().end.0 as usize + 1;
    let mut pending: Vec<(usize, Vec<String>)> = Vec::new();
    let mut begun = false;
    let mut emit = |index: usize,
                    mut cells: Vec<String>,
                    last: bool,
                    merged: &mut Option<Vec<Merge>>|
     -> Result<(), BookError> {
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if !cells.is_empty() {
            pending.push((index, cells));
        }
        if !begun && (last || pending.len().is_multiple_of(LOOK_EVERY)) {
            look(last, merged);
            if let Some(m) = merged.as_deref() {
                sink.begin(name, declared, m)?;
                begun = true;
            }
        }
        if begun {
            for (i, cells) in pending.drain(..) {
                sink.row(i, cells)?;
            }
        }
        Ok(())
    };
    // The used range so far, (first row, last row, first column, last column).
    let mut used: Option<(usize, usize, usize, usize)> = None;
    let mut row: Option<(usize, Vec<String>)> = None;
    let mut width = 0;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| BookError::Corrupt(e.to_string()))?
    {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        let (r0, r1, c0, c1) = used.map_or((r, r, c, c), |(r0, r1, c0, c1)| {
            (r0.min(r), r1.max(r), c0.min(c), c1.max(c))
        });
        used = Some((r0, r1, c0, c1));
        let cells = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1);
        if cells > MAX_SHEET_CELLS {
            return Err(BookError::SheetTooLarge {
                sheet: name.to_string(),
                cells,
            });
        }
        let cells = match &mut row {
            Some((at, cells)) if *at == r => cells,
            Some((at, _)) if *at > r => {
                return Err(BookError::Corrupt(format!("工作表“{name}”的行顺序错乱")));
            }
            _ => {
                if let Some((at, cells)) = row.take() {
                    // The next row is most likely as wide.
                    width = cells.len();
                    emit(at, cells, false, &mut merged)?;
                }
                &mut row.insert((r, Vec::with_capacity(width))).1
            }
        };
        if cells.len() <= c {
            cells.resize_with(c + 1, String::new);
        }
        cells[c] = cell_text(cell.get_value());
    }
    let (at, cells) = row.unwrap_or_default();
    emit(at, cells, true, &mut merged)?;
    sink.end()
}

/// Sheet name → its part ("xl/worksheets/sheet1.xml"), from xl/workbook.xml and its
/// relationships.
fn sheet_parts(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<HashMap<String, String>> {
    let part = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        // Both are small; a huge one is not a workbook this reads.
        zip.by_name(name)
            .ok()?
            .take(16 * 1024 * 1024)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    };
    let mut targets: HashMap<String, String> = HashMap::new();
    for attrs in elements(&part(zip, "xl/_rels/workbook.xml.rels")?, "Relationship") {
        if let (Some(id), Some(target)) = (attrs.get("Id"), attrs.get("Target")) {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            targets.insert(id.clone(), path);
        }
    }
    let mut parts = HashMap::new();
    for attrs in elements(&part(zip, "xl/workbook.xml")?, "sheet") {
        if let (Some(name), Some(id)) = (attrs.get("name"), attrs.get("id"))
            && let Some(path) = targets.get(id)
        {
            parts.insert(name.clone(), path.clone());
        }
    }
    Some(parts)
}

/// The attributes (by local name, unescaped) of every element named `local` in `xml`, up to
/// the end of a `mergeCells` list (where [`scan_merges`] stops).
fn elements(xml: &[u8], local: &str) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .filter_map(|a| {
                        let key = a.key.local_name().as_ref().to_string();
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()?
                            .into_owned();
                        Some((key, value))
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The merged regions a sheet part lists: its bytes are inflated in blocks and searched for
/// the `<mergeCells>` element (which follows the cells), and only from there parsed as XML.
/// A part that cannot be read has none (its cells' reader reports why).
fn scan_merges(mut part: impl Read) -> Vec<Merge> {
    const BLOCK: usize = 256 * 1024;
    // Bytes kept from one block to the next, so a tag split across two is still found.
    const KEEP: usize = 64;
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + KEEP);
    let mut tail: Option<Vec<u8>> = None;
    loop {
        let kept = buf.len();
        buf.resize(kept + BLOCK, 0);
        let n = match part.read(&mut buf[kept..]) {
            Ok(n) => n,
            Err(_) => return Vec::new(),
        };
        buf.truncate(kept + n);
        if let Some(t) = &mut tail {
            // The list is short; a part whose remainder is not is not read further.
            if t.len() > 16 * 1024 * 1024 {
                break;
            }
            t.extend_from_slice(&buf);
            buf.clear();
        } else if let Some(at) = finder.find_iter(&buf).find_map(|at| start_tag_at(&buf, at)) {
            tail = Some(buf[at..].to_vec());
            buf.clear();
        } else {
            let from = buf.len().saturating_sub(KEEP);
            buf.drain(..from);
        }
        if n == 0 {
            break;
        }
    }
    let Some(tail) = tail else {
        return Vec::new();
    };
    elements(&tail, "mergeCell")
        .into_iter()
        .filter_map(|attrs| region(attrs.get("ref")?))
        .collect()
}

/// Where the start tag whose name ends at `at` ("mergeCells" found there) begins: `<` right
/// before it or before a namespace prefix and its colon. Text cannot hold a `<`, so a match
/// in a cell's text is not taken.
fn start_tag_at(buf: &[u8], at: usize) -> Option<usize> {
    let before = &buf[..at];
    match before.last()? {
        b'<' => Some(at - 1),
        b':' => {
            let prefix = before[..before.len() - 1]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                .count();
            let lt = before.len() - 1 - prefix - 1;
            (prefix > 0 && before.get(lt) == Some(&b'<')).then_some(lt)
        }
        _ => None,
    }
}

/// "B2:D3" (or "B2") as 0-based (first row, first column, last row, last column).
fn region(text: &str) -> Option<Merge> {
    let (a, b) = text.split_once(':').unwrap_or((text, text));
    let (r0, c0) = cell_ref(a)?;
    let (r1, c1) = cell_ref(b)?;
    Some((r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)))
}

/// "B2" as 0-based (row, column); `None` outside a sheet's 1048576 rows and 16384 columns.
fn cell_ref(text: &str) -> Option<(usize, usize)> {
    let text = text.trim().replace('$', "");
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let col = text[..letters].bytes().fold(0usize, |n, b| {
        n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: usize = text[letters..].parse().ok()?;
    ((1..=1_048_576).contains(&row) && (1..=16_384).contains(&col)).then(|| (row - 1, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    /// What calamine's own whole-sheet reading gives: its range, its merge list.
    fn by_calamine(bytes: &[u8]) -> Vec<crate::book::Sheet> {
        let mut book: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).unwrap();
                let merged = merges(book.merge_cells_by_sheet_name(&name).unwrap());
                crate::book::sheet_from_range(name, &range, merged).unwrap()
            })
            .collect()
    }

    #[test]
    fn sheets_read_in_one_pass_equal_calamines_whole_sheet_reading() {
        let mut wb = Workbook::new();
        let notes = wb.add_worksheet();
        notes.set_name("填表说明 & 备注").unwrap();
        notes.write(2, 1, "  说明文字  ").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("项目").unwrap();
        let f = Format::new();
        let day = Format::new().set_num_format("yyyy-mm-dd");
        ws.merge_range(1, 1, 1, 6, "2024年项目表", &f).unwrap();
        ws.merge_range(2, 1, 3, 1, "名称", &f).unwrap();
        ws.merge_range(2, 2, 2, 3, "总投资", &f).unwrap();
        for r in 4..300u32 {
            ws.write(r, 1, format!("项目{r}")).unwrap();
            ws.write(r, 2, f64::from(r) * 1.25).unwrap();
            if r % 3 == 0 {
                ws.write(r, 3, r % 2 == 0).unwrap();
            }
            if r % 7 == 0 {
                let d = ExcelDateTime::from_ymd(2024, 3, (r % 28) as u8 + 1).unwrap();
                ws.write_with_format(r, 5, &d, &day).unwrap();
            }
            if r % 11 == 0 {
                ws.write(r, 9, "  ").unwrap();
            }
        }
        ws.write_formula(301, 2, "=SUM(C5:C300)").unwrap();
        let empty = wb.add_worksheet();
        empty.set_name("空").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut sink = crate::book::BookSink::default();
        read_xlsx(&bytes, &mut sink).unwrap();
        let ours = sink.book.sheets;
        assert_eq!(ours, by_calamine(&bytes));
        assert_eq!(ours[1].merged.len(), 3);
        assert_eq!(ours[0].rows[2][1], "说明文字");
    }

    #[test]
    fn regions_read_as_excel_writes_them() {
        assert_eq!(region("B2:D3"), Some((1, 1, 2, 3)));
        assert_eq!(region("A1"), Some((0, 0, 0, 0)));
        assert_eq!(region("$a$1:$b$2"), Some((0, 0, 1, 1)));
        assert_eq!(region("D3:B2"), Some((1, 1, 2, 3)));
        assert_eq!(region("XFE1:A1"), None);
        assert_eq!(region("A0"), None);
        assert_eq!(region("A1048577"), None);
        assert_eq!(region("1:2"), None);
    }

    #[test]
    fn the_merge_list_is_found_across_blocks_with_or_without_a_prefix() {
        // A long sheet whose text mentions the element, then the real list.
        let mut xml = String::from("<worksheet><sheetData>");
        for i in 0..40_000 {
            xml.push_str(&format!("<row r=\"{i}\"><c t=\"inlineStr\"><is><t>mergeCells x:mergeCells</t></is></c></row>"));
        }
        xml.push_str("</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"B2:B3\"/></mergeCells></worksheet>");
        assert_eq!(
            scan_merges(xml.as_bytes()),
            vec![(0, 0, 0, 2), (1, 1, 2, 1)]
        );
        let prefixed = xml
            .replace("<mergeCells", "<x:mergeCells")
            .replace("</mergeCells", "</x:mergeCells")
            .replace("<mergeCell ", "<x:mergeCell ");
        assert_eq!(
            scan_merges(prefixed.as_bytes()),
            vec![(0, 0, 0, 2), (1, 1, 2, 1)]
        );
        assert_eq!(
            scan_merges(&b"<worksheet><sheetData/></worksheet>"[..]),
            vec![]
        );
    }

    #[test]
    fn a_tag_split_between_two_blocks_is_found() {
        // Every offset of the tag against the 256 KB block boundary near it.
        for pad in 262_100..262_150 {
            let mut xml = vec![b' '; pad];
            xml.extend_from_slice(b"<mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>");
            assert_eq!(scan_merges(&xml[..]), vec![(0, 0, 0, 1)], "pad {pad}");
        }
    }
}
