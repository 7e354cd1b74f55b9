//! A workbook as offices send it (.xlsx, .xls or .csv), read into sheets of display text.
//!
//! Every cell becomes the text a person would see: numbers without a trailing ".0", date cells
//! as their Excel serial (which [`hezuo_domain::cells::parse_date`] reads), errors as "#N/A" and
//! so on. Merged regions are kept so a two-row header can give each column its group's name.
//! The format is decided by the file's first bytes, never by its name.

use calamine::{DataType, Reader, Xls, open_workbook_from_rs};
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
    /// Merged regions.
    pub merged: Vec<Merge>,
}

/// A merged region as (first row, first column, last row, last column), 0-based.
pub type Merge = (usize, usize, usize, usize);

/// calamine's merged regions as [`Merge`]s.
pub(crate) fn merges(regions: Vec<calamine::Dimensions>) -> Vec<Merge> {
    regions
        .into_iter()
        .map(|d| {
            let (r0, c0) = (d.start.0 as usize, d.start.1 as usize);
            (r0, c0, d.end.0 as usize, d.end.1 as usize)
        })
        .collect()
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    let mut book = BookSink::default();
    read_book_into(bytes, &mut book)?;
    Ok(book.book)
}

/// Reads a workbook into `sink` sheet by sheet, an .xlsx row by row as it is parsed (so the
/// rows can be checked and stored while the rest is still being read). Limits are checked
/// before anything large is built. On an error, what the sink already has is to be dropped.
pub fn read_book_into(bytes: &[u8], sink: &mut impl SheetSink) -> Result<(), BookError> {
    check_size(bytes)?;
    // The parsers are third-party code fed hostile bytes: a panic in them (fuzzing found an
    // arithmetic overflow in calamine's cell references) is a file that cannot be read, not
    // a crash of the caller. The caller drops what the sink holds on any error, so unwinding
    // through it is safe.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match Format::sniff(bytes) {
            Format::Xlsx => {
                crate::guard::check_xlsx(bytes)?;
                crate::xlsx::read_xlsx(bytes, sink)
            }
            Format::Xls => replay(read_xls(bytes)?, sink),
            Format::Csv => replay(read_csv(bytes)?, sink),
        }
    }))
    .unwrap_or_else(|_| Err(BookError::Corrupt("解析器无法处理该文件的内容".into())))
}

/// Where a workbook's sheets go as they are read: each sheet begins (with its merged regions,
/// known before its rows), gives its non-empty rows in order with their 0-based index, and
/// ends.
pub trait SheetSink {
    /// A sheet begins; `declared_rows` is what the file says it holds (0 when it does not say).
    fn begin(
        &mut self,
        name: &str,
        declared_rows: usize,
        merged: &[Merge],
    ) -> Result<(), BookError>;
    fn row(&mut self, index: usize, cells: Vec<String>) -> Result<(), BookError>;
    fn end(&mut self) -> Result<(), BookError>;
}

/// A book read whole into a sink.
fn replay(book: Book, sink: &mut impl SheetSink) -> Result<(), BookError> {
    for sheet in book.sheets {
        sink.begin(&sheet.name, sheet.rows.len(), &sheet.merged)?;
        for (i, row) in sheet.rows.into_iter().enumerate() {
            if !row.is_empty() {
                sink.row(i, row)?;
            }
        }
        sink.end()?;
    }
    Ok(())
}

/// A sink keeping the whole book.
#[derive(Debug, Default)]
pub struct BookSink {
    pub book: Book,
}

impl SheetSink for BookSink {
    fn begin(&mut self, name: &str, _: usize, merged: &[Merge]) -> Result<(), BookError> {
        self.book.sheets.push(Sheet {
            name: name.to_string(),
            rows: Vec::new(),
            merged: merged.to_vec(),
        });
        Ok(())
    }

    fn row(&mut self, index: usize, cells: Vec<String>) -> Result<(), BookError> {
        let sheet = self.book.sheets.last_mut().ok_or_else(out_of_order)?;
        put_row(&mut sheet.rows, index, cells)
    }

    fn end(&mut self) -> Result<(), BookError> {
        Ok(())
    }
}

impl BookSink {
    /// Takes a piece of a book read back from frames.
    pub fn piece(&mut self, piece: Piece) -> Result<(), BookError> {
        match piece {
            Piece::Sheet {
                name,
                declared_rows,
                merged,
            } => self.begin(&name, declared_rows, &merged),
            Piece::Rows(rows) => rows
                .into_iter()
                .try_for_each(|(index, cells)| self.row(index, cells)),
            Piece::End => self.end(),
            Piece::Done => Ok(()),
        }
    }
}

/// The pieces of frames written whole into `bytes` ([`Piece::write_frame`]); `None` when they
/// do not read back or do not end with the book's end.
pub fn read_frames(bytes: &[u8]) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let len = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let payload = bytes.get(at + 4..(at + 4).checked_add(len)?)?;
        pieces.push(Piece::decode(payload)?);
        at += 4 + len;
    }
    (pieces.last() == Some(&Piece::Done)).then_some(pieces)
}

/// Puts a row at its index in a sheet's rows, after those already there.
pub fn put_row(
    rows: &mut Vec<Vec<String>>,
    index: usize,
    cells: Vec<String>,
) -> Result<(), BookError> {
    if index < rows.len() {
        return Err(out_of_order());
    }
    rows.resize_with(index, Vec::new);
    rows.push(cells);
    Ok(())
}

fn out_of_order() -> BookError {
    BookError::Corrupt("工作表的行顺序错乱".into())
}

fn read_xls(bytes: &[u8]) -> Result<Book, BookError> {
    let mut book: Xls<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsError| BookError::NotSpreadsheet(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| BookError::Corrupt(e.to_string()))?;
        let merged = merges(book.merge_cells_by_sheet_name(&name).unwrap_or_default());
        sheets.push(sheet_from_range(name, &range, merged)?);
    }
    Ok(Book { sheets })
}

pub(crate) fn sheet_from_range(
    name: String,
    range: &calamine::Range<calamine::Data>,
    merged: Vec<Merge>,
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

/// A cell as the text a person sees (an .xls cell or an .xlsx one read as a stream).
pub(crate) fn cell_text(cell: &impl DataType) -> String {
    if let Some(s) = cell.get_string() {
        s.trim().to_string()
    } else if let Some(i) = cell.get_int() {
        i.to_string()
    } else if let Some(f) = cell.get_float() {
        number_text(f)
    } else if let Some(b) = cell.get_bool() {
        if b { "是" } else { "否" }.to_string()
    } else if let Some(d) = cell.get_datetime() {
        number_text(d.as_f64().floor())
    } else if let Some(s) = cell.get_datetime_iso().or_else(|| cell.get_duration_iso()) {
        s.to_string()
    } else if let Some(e) = cell.get_error() {
        e.to_string()
    } else {
        String::new()
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

/// A piece of a workbook as it is read, as one process hands it to another: the parsing child
/// (under memory and time limits, see `hezuo_web::import`) writes frames
/// ([`Piece::write_frame`]) and the server reads them back with [`Piece::decode`] while the
/// child is still parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Sheet {
        name: String,
        declared_rows: usize,
        merged: Vec<Merge>,
    },
    /// Rows of the current sheet with their 0-based index, in order.
    Rows(Vec<(usize, Vec<String>)>),
    End,
    /// The whole book has been read.
    Done,
}

impl Piece {
    /// Reads one frame's payload (as [`Piece::write_frame`] wrote it); `None` for anything
    /// else.
    pub fn decode(bytes: &[u8]) -> Option<Piece> {
        let (&tag, rest) = bytes.split_first()?;
        let mut r = Wire { bytes: rest, at: 0 };
        let piece = match tag {
            b'S' => {
                let name = r.text()?;
                let declared_rows = r.num()?;
                let n = r.count()?;
                let mut merged = Vec::with_capacity(n);
                for _ in 0..n {
                    merged.push((r.num()?, r.num()?, r.num()?, r.num()?));
                }
                Piece::Sheet {
                    name,
                    declared_rows,
                    merged,
                }
            }
            b'R' => {
                let n = r.count()?;
                let mut rows = Vec::with_capacity(n);
                for _ in 0..n {
                    let index = r.num()?;
                    let cells_n = r.count()?;
                    let mut cells = Vec::with_capacity(cells_n);
                    for _ in 0..cells_n {
                        cells.push(r.text()?);
                    }
                    rows.push((index, cells));
                }
                Piece::Rows(rows)
            }
            b'E' => Piece::End,
            b'Z' => Piece::Done,
            _ => return None,
        };
        (r.at == rest.len()).then_some(piece)
    }
}

impl Piece {
    /// Writes this piece as one frame: the payload's length (u32, little-endian) then the
    /// payload, length-prefixed UTF-8, no serde, so 100k rows cross in milliseconds. The
    /// payload goes straight to `out` (its length counted first), not through a buffer of
    /// its own.
    pub fn write_frame(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let len = u32::try_from(self.payload_len())
            .map_err(|_| std::io::Error::other("frame over 4 GB"))?;
        out.write_all(&len.to_le_bytes())?;
        match self {
            Piece::Sheet {
                name,
                declared_rows,
                merged,
            } => {
                out.write_all(b"S")?;
                put_text(out, name)?;
                put_num(out, *declared_rows)?;
                put_num(out, merged.len())?;
                for (a, b, c, d) in merged {
                    for n in [a, b, c, d] {
                        put_num(out, *n)?;
                    }
                }
                Ok(())
            }
            Piece::Rows(rows) => {
                out.write_all(b"R")?;
                put_num(out, rows.len())?;
                for (index, cells) in rows {
                    put_num(out, *index)?;
                    put_num(out, cells.len())?;
                    for cell in cells {
                        put_text(out, cell)?;
                    }
                }
                Ok(())
            }
            Piece::End => out.write_all(b"E"),
            Piece::Done => out.write_all(b"Z"),
        }
    }

    /// The length of the payload [`Piece::write_frame`] writes.
    fn payload_len(&self) -> usize {
        const NUM: usize = 8;
        1 + match self {
            Piece::Sheet { name, merged, .. } => {
                NUM + name.len() + 2 * NUM + merged.len() * 4 * NUM
            }
            Piece::Rows(rows) => {
                NUM + rows
                    .iter()
                    .map(|(_, cells)| 2 * NUM + cells.iter().map(|c| NUM + c.len()).sum::<usize>())
                    .sum::<usize>()
            }
            Piece::End | Piece::Done => 0,
        }
    }
}

/// Rows a [`PieceSink`] puts in one piece.
pub const ROWS_PER_PIECE: usize = 1024;

/// A sink handing the book on in pieces (rows [`ROWS_PER_PIECE`] at a time) to `emit`: to a
/// pipe as frames ([`Piece::write_frame`]), or to a channel.
pub struct PieceSink<F> {
    emit: F,
    rows: Vec<(usize, Vec<String>)>,
}

impl<F: FnMut(Piece) -> Result<(), BookError>> PieceSink<F> {
    pub fn new(emit: F) -> Self {
        PieceSink {
            emit,
            rows: Vec::new(),
        }
    }

    fn flush(&mut self) -> Result<(), BookError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        (self.emit)(Piece::Rows(std::mem::take(&mut self.rows)))
    }

    /// Ends the book: the reader knows it has every piece.
    pub fn done(mut self) -> Result<(), BookError> {
        self.flush()?;
        (self.emit)(Piece::Done)
    }
}

impl<F: FnMut(Piece) -> Result<(), BookError>> SheetSink for PieceSink<F> {
    fn begin(
        &mut self,
        name: &str,
        declared_rows: usize,
        merged: &[Merge],
    ) -> Result<(), BookError> {
        (self.emit)(Piece::Sheet {
            name: name.to_string(),
            declared_rows,
            merged: merged.to_vec(),
        })
    }

    fn row(&mut self, index: usize, cells: Vec<String>) -> Result<(), BookError> {
        self.rows.push((index, cells));
        if self.rows.len() >= ROWS_PER_PIECE {
            self.flush()?;
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), BookError> {
        self.flush()?;
        (self.emit)(Piece::End)
    }
}

fn put_num(out: &mut impl std::io::Write, n: usize) -> std::io::Result<()> {
    out.write_all(&(n as u64).to_le_bytes())
}

fn put_text(out: &mut impl std::io::Write, s: &str) -> std::io::Result<()> {
    put_num(out, s.len())?;
    out.write_all(s.as_bytes())
}

/// A cursor over a frame's bytes.
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
