//! A workbook as offices send it (.xlsx, .xls or .csv), read into sheets of display text.
//!
//! Every cell becomes the text a person would see: numbers without a trailing ".0", date cells
//! as their Excel serial (which [`hezuo_domain::cells::parse_date`] reads), errors as "#N/A" and
//! so on. Merged regions are kept so a two-row header can give each column its group's name.
//! The format is decided by the file's first bytes, never by its name.

use calamine::{Data, Dimensions, Reader, Xls, Xlsx, open_workbook_from_rs};
use std::io::Cursor;

/// Files larger than this are refused before any parsing (the "50 MB upload").
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// A sheet with more cells than this is refused (a sheet declaring all of XFD1048576).
pub const MAX_SHEET_CELLS: usize = 20_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    /// Rows of cells as text, trimmed; row 0 is the sheet's first row (Excel row 1).
    pub rows: Vec<Vec<String>>,
    /// Merged regions as (first row, first column, last row, last column), 0-based.
    pub merged: Vec<(usize, usize, usize, usize)>,
}

impl Sheet {
    /// The text at (row, column), "" outside the sheet.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }

    /// The text shown at (row, column): a cell covered by a merged region shows the text of the
    /// region's first cell.
    pub fn shown(&self, row: usize, col: usize) -> &str {
        let own = self.cell(row, col);
        if !own.is_empty() {
            return own;
        }
        self.merged
            .iter()
            .find(|(r0, c0, r1, c1)| (*r0..=*r1).contains(&row) && (*c0..=*c1).contains(&col))
            .map_or("", |(r0, c0, _, _)| self.cell(*r0, *c0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

/// Why a file could not be read at all, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    #[error("文件为空")]
    Empty,
    #[error("文件大小 {0} MB，超过 50 MB 的上限，请拆分后分批导入")]
    TooLarge(usize),
    #[error("文件不是有效的 Excel 工作簿（.xlsx/.xls）或 CSV 文本：{0}")]
    NotSpreadsheet(String),
    #[error("工作表“{sheet}”有 {cells} 个单元格，超过 2000 万的上限")]
    SheetTooLarge { sheet: String, cells: usize },
    #[error("工作簿无法读取（文件可能已损坏或经过恶意构造）：{0}")]
    Corrupt(String),
}

/// What the first bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Csv,
}

impl Format {
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            Format::Xls
        } else {
            Format::Csv
        }
    }
}

/// Refuses an empty file and one over [`MAX_FILE_BYTES`], before anything else is done.
pub fn check_size(bytes: &[u8]) -> Result<(), BookError> {
    if bytes.is_empty() {
        return Err(BookError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(BookError::TooLarge(bytes.len().div_ceil(1024 * 1024)));
    }
    Ok(())
}

/// Reads a whole workbook. Limits are checked before anything large is built.
pub fn read_book(bytes: &[u8]) -> Result<Book, BookError> {
    check_size(bytes)?;
    // The parsers are third-party code fed hostile bytes: a panic in them (fuzzing found an
    // arithmetic overflow in calamine's cell references) is a file that cannot be read, not
    // a crash of the caller. Nothing here holds state across the call, so unwinding is safe.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match Format::sniff(bytes) {
            Format::Xlsx => read_xlsx(bytes),
            Format::Xls => read_xls(bytes),
            Format::Csv => read_csv(bytes),
        }
    }))
    .unwrap_or_else(|_| Err(BookError::Corrupt("解析器无法处理该文件的内容".into())))
}

fn read_xlsx(bytes: &[u8]) -> Result<Book, BookError> {
    crate::guard::check_xlsx(bytes)?;
    let mut book: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| BookError::NotSpreadsheet(e.to_string()))?;
    collect_sheets(&mut book, |b, name| {
        b.merge_cells_by_sheet_name(name).unwrap_or_default()
    })
}

fn read_xls(bytes: &[u8]) -> Result<Book, BookError> {
    let mut book: Xls<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsError| BookError::NotSpreadsheet(e.to_string()))?;
    collect_sheets(&mut book, |b, name| {
        b.merge_cells_by_sheet_name(name).unwrap_or_default()
    })
}

/// Every sheet of an open workbook, with its merged regions as `merges` reads them.
fn collect_sheets<'a, R>(
    book: &mut R,
    merges: impl Fn(&mut R, &str) -> Vec<Dimensions>,
) -> Result<Book, BookError>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| BookError::Corrupt(e.to_string()))?;
        let merged = merges(book, &name)
            .into_iter()
            .map(|d| {
                (
                    d.start.0 as usize,
                    d.start.1 as usize,
                    d.end.0 as usize,
                    d.end.1 as usize,
                )
            })
            .collect();
        sheets.push(sheet_from_range(name, &range, merged)?);
    }
    Ok(Book { sheets })
}

fn sheet_from_range(
    name: String,
    range: &calamine::Range<Data>,
    merged: Vec<(usize, usize, usize, usize)>,
) -> Result<Sheet, BookError> {
    let (height, width) = range.get_size();
    if height.saturating_mul(width) > MAX_SHEET_CELLS {
        return Err(BookError::SheetTooLarge {
            sheet: name,
            cells: height.saturating_mul(width),
        });
    }
    // The range starts at its first used cell; rows and columns before it are empty.
    let (r0, c0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut rows = vec![Vec::new(); r0];
    for row in range.rows() {
        let mut cells = vec![String::new(); c0];
        cells.extend(row.iter().map(cell_text));
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        rows.push(cells);
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Ok(Sheet { name, rows, merged })
}

/// A cell as the text a person sees.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => number_text(d.as_f64().floor()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as typed: integers without ".0", others in the shortest form that reads back the
/// same (so 0.1 + 0.2 in a cell shows as Excel shows it, to 15 significant digits).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    // Excel keeps 15 significant digits; more is binary noise (0.30000000000000004).
    let s = format!("{:.*e}", 14, f);
    let v: f64 = s.parse().unwrap_or(f);
    let text = format!("{v}");
    if text.contains('e') {
        format!("{v:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        text
    }
}

fn read_csv(bytes: &[u8]) -> Result<Book, BookError> {
    // Offices' CSV files are UTF-8 (often with a BOM) or GB18030 from older Excel versions.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(BookError::NotSpreadsheet(
                    "内容既不是 UTF-8 也不是 GB18030 编码的文本".into(),
                ));
            }
            t.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(BookError::NotSpreadsheet("内容含有二进制数据".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| BookError::NotSpreadsheet(e.to_string()))?;
        let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        rows.push(cells);
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Ok(Book {
        sheets: vec![Sheet {
            name: "CSV".into(),
            rows,
            merged: Vec::new(),
        }],
    })
}

/// A book as bytes, for handing it from the process that parsed it (under memory and time
/// limits, see `hezuo_web::import`) to the one that stores it: length-prefixed UTF-8, no
/// serde, so 100k rows cross in milliseconds.
impl Book {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let put = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u64).to_le_bytes());
        let text = |out: &mut Vec<u8>, s: &str| {
            put(out, s.len());
            out.extend_from_slice(s.as_bytes());
        };
        put(&mut out, self.sheets.len());
        for sheet in &self.sheets {
            text(&mut out, &sheet.name);
            put(&mut out, sheet.rows.len());
            for row in &sheet.rows {
                put(&mut out, row.len());
                for cell in row {
                    text(&mut out, cell);
                }
            }
            put(&mut out, sheet.merged.len());
            for (a, b, c, d) in &sheet.merged {
                for n in [a, b, c, d] {
                    put(&mut out, *n);
                }
            }
        }
        out
    }

    /// Reads what [`Book::encode`] wrote; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Book> {
        let mut r = Wire { bytes, at: 0 };
        let sheets_n = r.count()?;
        let mut sheets = Vec::with_capacity(sheets_n);
        for _ in 0..sheets_n {
            let name = r.text()?;
            let rows_n = r.count()?;
            let mut rows = Vec::with_capacity(rows_n);
            for _ in 0..rows_n {
                let cells_n = r.count()?;
                let mut cells = Vec::with_capacity(cells_n);
                for _ in 0..cells_n {
                    cells.push(r.text()?);
                }
                rows.push(cells);
            }
            let merged_n = r.count()?;
            let mut merged = Vec::with_capacity(merged_n);
            for _ in 0..merged_n {
                merged.push((r.num()?, r.num()?, r.num()?, r.num()?));
            }
            sheets.push(Sheet { name, rows, merged });
        }
        (r.at == bytes.len()).then_some(Book { sheets })
    }
}

/// A cursor over [`Book::encode`]'s bytes.
struct Wire<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Wire<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn num(&mut self) -> Option<usize> {
        usize::try_from(u64::from_le_bytes(self.take(8)?.try_into().ok()?)).ok()
    }

    /// A count of items still to come, each at least 8 bytes: a corrupt count cannot make
    /// a large allocation.
    fn count(&mut self) -> Option<usize> {
        let n = self.num()?;
        (n <= (self.bytes.len() - self.at) / 8).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        let n = self.num()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}
