//! Lists written as workbooks an office would forward as they are: a title row naming the
//! scope and the date, Chinese headers with units, number formats, a frozen header, column
//! widths that fit, and a totals row. Rows are streamed to the file (rust_xlsxwriter's
//! constant-memory mode), so 100k rows take the memory of one.
//!
//! Text that Excel or a CSV reader could take for a formula (= + - @ at the start) is written
//! with a leading apostrophe, the usual neutralisation.
//!
//! A page of several small tables (the cockpit) goes out as one workbook of several such
//! sheets ([`write_book`]), each with the native Excel chart of the page's chart over its
//! rows, so the chart in the file is editable and follows the figures.

use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use std::io::{Seek, Write};

/// What a column holds, and so how it is formatted and totalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// A count or other whole number; totalled.
    Integer,
    /// Yuan written as 万元 with two decimals; totalled.
    Wan,
    /// A ratio written as a percentage with one decimal.
    Percent,
    /// A date as text YYYY-MM-DD.
    Date,
    /// A score or other measure with two decimals; not totalled.
    Decimal,
}

#[derive(Debug, Clone)]
pub struct Column {
    /// Header with its unit: "协议投资（万元）".
    pub header: String,
    pub kind: ColumnKind,
    /// Width in characters (a Chinese character counts as two).
    pub width: f64,
    /// Summed in the totals row (counts and amounts are, unless they are running totals).
    pub total: bool,
}

impl Column {
    pub fn new(header: &str, kind: ColumnKind, width: f64) -> Column {
        Column {
            header: header.to_string(),
            kind,
            width,
            total: matches!(kind, ColumnKind::Integer | ColumnKind::Wan),
        }
    }

    /// A column whose figures do not add up (a cumulative amount, a ranking).
    pub fn untotalled(mut self) -> Column {
        self.total = false;
        self
    }
}

/// One cell of a row. Money is yuan; it is written in 万元.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Yuan(i64),
    /// A ratio, 0.5 for 50%.
    Ratio(f64),
    /// A score or other measure, two decimals shown.
    Number(f64),
    Empty,
}

/// A list to write: title, the scope line under it, columns.
pub struct ListSheet<'a> {
    pub sheet_name: &'a str,
    /// "湖州市招商引资项目清单".
    pub title: &'a str,
    /// "范围：吴兴区；筛选：阶段=签约；导出时间：2024-06-30 10:00".
    pub scope: &'a str,
    pub columns: &'a [Column],
}

/// Text safe from formula interpretation.
pub fn neutralise(text: &str) -> String {
    neutralised(text.to_string())
}

/// [`neutralise`] for text the caller owns: unchanged text is not copied.
fn neutralised(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// The deflate level of a list's workbook. Compressing the sheet is a third of the writer's
/// time and comes after its last row; level 3 instead of the default 6 takes 100k rows from
/// 2.2 to 1.8 s for a file 17% larger (bench/README.md).
const LIST_ZIP_LEVEL: u8 = 3;

/// Writes a list to `out`: title, scope, header, every row `rows` yields, a totals row.
/// Returns the number of data rows written.
pub fn write_list<W, I>(sheet: &ListSheet<'_>, rows: I, out: W) -> Result<usize, XlsxError>
where
    W: Write + Seek + Send,
    I: IntoIterator<Item = Vec<Cell>>,
{
    let mut book = Workbook::new();
    book.set_zip_compression_level(LIST_ZIP_LEVEL);
    let formats = Formats::new();
    let ws = book.add_worksheet_with_constant_memory()?;
    let written = write_sheet(ws, sheet, rows, &formats)?;
    book.save_to_writer(out)?;
    Ok(written)
}

/// A chart of a sheet's rows, as Excel draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars, one colour per series.
    Column,
    /// Horizontal bars (many categories with long names).
    Bar,
    Line,
}

/// A native chart over a sheet: the categories are one column, each value column a series
/// named by its header.
#[derive(Debug, Clone)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: String,
    /// 0-based column of the categories.
    pub categories: u16,
    /// 0-based columns charted.
    pub values: Vec<u16>,
    /// The value axis' title with its unit ("万元", "完成率").
    pub axis: String,
    /// The value axis' number format ("0%" for rates, "#,##0" for amounts).
    pub axis_format: String,
}

/// One sheet of a [`write_book`] workbook.
pub struct BookSheet<'a> {
    pub list: ListSheet<'a>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Option<ChartSpec>,
}

/// Writes several lists as the sheets of one workbook, each with its chart to the right of
/// its table.
pub fn write_book<W>(sheets: &[BookSheet<'_>], out: W) -> Result<(), XlsxError>
where
    W: Write + Seek + Send,
{
    let mut book = Workbook::new();
    let formats = Formats::new();
    for s in sheets {
        let ws = book.add_worksheet();
        let written = write_sheet(ws, &s.list, s.rows.iter().cloned(), &formats)?;
        let (Some(spec), true) = (&s.chart, written > 0) else {
            continue;
        };
        let name = s.list.sheet_name;
        let (first, last) = (HEADER_ROW + 1, HEADER_ROW + written as u32);
        let mut chart = Chart::new(match spec.kind {
            ChartKind::Column => ChartType::Column,
            ChartKind::Bar => ChartType::Bar,
            ChartKind::Line => ChartType::Line,
        });
        for col in &spec.values {
            chart
                .add_series()
                .set_name((name, HEADER_ROW, *col))
                .set_categories((name, first, spec.categories, last, spec.categories))
                .set_values((name, first, *col, last, *col));
        }
        chart.title().set_name(&spec.title);
        // A horizontal bar chart has its value axis across (x) and its categories up the
        // side, listed top-down in the table's order.
        let bar = spec.kind == ChartKind::Bar;
        let values_axis = if bar { chart.x_axis() } else { chart.y_axis() };
        values_axis
            .set_name(&spec.axis)
            .set_num_format(&spec.axis_format);
        if bar {
            chart.y_axis().set_reverse();
        }
        if spec.values.len() < 2 {
            chart.legend().set_hidden();
        } else {
            chart.legend().set_position(ChartLegendPosition::Bottom);
        }
        // Tall enough for every category of a horizontal bar chart.
        let height = match spec.kind {
            ChartKind::Bar => (120 + 24 * written as u32).clamp(288, 900),
            _ => 320,
        };
        chart.set_width(600).set_height(height);
        ws.insert_chart(HEADER_ROW, s.list.columns.len() as u16 + 1, &chart)?;
    }
    book.save_to_writer(out)?;
    Ok(())
}

/// The row of the column headers (under the title and the scope line).
const HEADER_ROW: u32 = 2;

/// Title, scope, header, rows and a totals row, on one worksheet. Returns the rows written.
fn write_sheet<I>(
    ws: &mut Worksheet,
    sheet: &ListSheet<'_>,
    rows: I,
    formats: &Formats,
) -> Result<usize, XlsxError>
where
    I: IntoIterator<Item = Vec<Cell>>,
{
    ws.set_name(sheet.sheet_name)?;
    let ncols = sheet.columns.len().max(1) as u16;
    for (c, col) in sheet.columns.iter().enumerate() {
        ws.set_column_width(c as u16, col.width)?;
    }
    ws.set_row_height(0, 28)?;
    ws.merge_range(0, 0, 0, ncols - 1, &neutralise(sheet.title), &formats.title)?;
    ws.merge_range(1, 0, 1, ncols - 1, &neutralise(sheet.scope), &formats.scope)?;
    for (c, col) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, &col.header, &formats.header)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    // Printed: A4 landscape, one page wide, the title and header on every page, page numbers.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_footer("&C第 &P 页，共 &N 页");
    ws.set_repeat_rows(0, HEADER_ROW)?;
    let mut totals = vec![0i128; sheet.columns.len()];
    let mut row: u32 = HEADER_ROW + 1;
    for cells in rows {
        for (c, cell) in cells.into_iter().enumerate().take(sheet.columns.len()) {
            totals[c] += match cell {
                Cell::Int(v) | Cell::Yuan(v) => i128::from(v),
                _ => 0,
            };
            write_cell(ws, row, c as u16, cell, formats)?;
        }
        row += 1;
    }
    let written = (row - HEADER_ROW - 1) as usize;
    // "合计" alone in the first cell, so the file reads back (its total row is skipped); the
    // count of rows in the second when that is a text column (the names).
    ws.write_string_with_format(row, 0, "合计", &formats.total_text)?;
    for (c, col) in sheet.columns.iter().enumerate().skip(1) {
        match col.kind {
            ColumnKind::Text if c == 1 => ws.write_string_with_format(
                row,
                1,
                format!("共 {written} 项"),
                &formats.total_text,
            )?,
            ColumnKind::Integer if col.total => {
                ws.write_number_with_format(row, c as u16, totals[c] as f64, &formats.total_int)?
            }
            ColumnKind::Wan if col.total => ws.write_number_with_format(
                row,
                c as u16,
                totals[c] as f64 / 10_000.0,
                &formats.total_wan,
            )?,
            _ => ws.write_blank(row, c as u16, &formats.total_text)?,
        };
    }
    Ok(written)
}

struct Formats {
    title: Format,
    scope: Format,
    header: Format,
    text: Format,
    int: Format,
    wan: Format,
    percent: Format,
    total_text: Format,
    total_int: Format,
    total_wan: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let cell = base.clone().set_border(FormatBorder::Thin);
        let total = cell.clone().set_bold().set_background_color(0xF2F2F2);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            scope: base.clone().set_font_size(10),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xDDEBF7),
            text: cell.clone(),
            int: cell.clone().set_num_format("#,##0"),
            wan: cell.clone().set_num_format("#,##0.00"),
            percent: cell.clone().set_num_format("0.0%"),
            total_text: total.clone(),
            total_int: total.clone().set_num_format("#,##0"),
            total_wan: total.set_num_format("#,##0.00"),
        }
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) if t.is_empty() => ws.write_blank(row, col, &f.text)?,
        Cell::Text(t) => ws.write_string_with_format(row, col, neutralised(t), &f.text)?,
        Cell::Int(v) => ws.write_number_with_format(row, col, v as f64, &f.int)?,
        Cell::Yuan(v) => ws.write_number_with_format(row, col, v as f64 / 10_000.0, &f.wan)?,
        Cell::Ratio(v) => ws.write_number_with_format(row, col, v, &f.percent)?,
        Cell::Number(v) => ws.write_number_with_format(row, col, v, &f.wan)?,
        Cell::Empty => ws.write_blank(row, col, &f.text)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::read_book;

    #[test]
    fn a_book_totals_what_adds_up_and_charts_its_rows() {
        use ColumnKind::*;
        let columns = [
            Column::new("月份", Text, 8.0),
            Column::new("当月完成（万元）", Wan, 16.0),
            Column::new("累计完成（万元）", Wan, 16.0).untotalled(),
            Column::new("项目数", Integer, 8.0),
        ];
        let rows = vec![
            vec![
                Cell::Text("1月".into()),
                Cell::Yuan(1_000_000),
                Cell::Yuan(1_000_000),
                Cell::Int(2),
            ],
            vec![
                Cell::Text("=2月".into()),
                Cell::Yuan(3_000_000),
                Cell::Yuan(4_000_000),
                Cell::Int(3),
            ],
        ];
        let sheet = BookSheet {
            list: ListSheet {
                sheet_name: "月度",
                title: "月度累计",
                scope: "范围：全市",
                columns: &columns,
            },
            rows,
            chart: Some(ChartSpec {
                kind: ChartKind::Line,
                title: "累计".into(),
                categories: 0,
                values: vec![2],
                axis: "万元".into(),
                axis_format: "#,##0".into(),
            }),
        };
        let mut out = std::io::Cursor::new(Vec::new());
        write_book(&[sheet], &mut out).unwrap();
        let bytes = out.into_inner();
        let book = read_book(&bytes).unwrap();
        let r = &book.sheets[0].rows;
        assert_eq!(r[2][1], "当月完成（万元）");
        assert_eq!(r[4][0], "'=2月", "formula-like text is neutralised");
        // 合计: the month amounts add up, the running total does not, the count does.
        assert_eq!(r[5][..4], ["合计", "400", "", "5"]);
        let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let charts = zip
            .file_names()
            .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
            .count();
        assert_eq!(charts, 1);
    }
}
