//! Finding the table in a sheet as offices lay it out — title and note rows above the header,
//! a header of one row or two (a merged group cell over its sub-columns), subtotal and total
//! rows, blank rows, notes below — and matching its columns to fields by the words offices use
//! for them. What a column means can be overridden by the user ([`Mapping`]); the mapping is
//! keyed by the header's [`Table::shape`] so the next file laid out the same way maps the same.

pub mod assistance;
pub mod enterprises;
pub mod key_items;
pub mod project;
pub mod records;
mod vocab;

use crate::book::{Book, Sheet};
use hezuo_domain::cells::{half_width, is_total_row};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Stable key, used in mappings and error reports.
    pub key: &'static str,
    /// The header the import template uses.
    pub label: &'static str,
    /// Header words that mean this field, most specific first.
    pub synonyms: &'static [&'static str],
    pub required: bool,
}

/// One problem with one cell (or one row, `column` empty), for the dry-run report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub sheet: String,
    /// Excel row number (1-based); 0 for a problem with the whole sheet.
    pub row: usize,
    /// Column letter and header, e.g. "C（总投资（亿元））"; empty for a whole row.
    pub column: String,
    pub value: String,
    pub message: String,
}

/// Field key → 0-based column, as detected or as the user set it.
pub type Mapping = BTreeMap<String, usize>;

/// A table found in a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub sheet: String,
    /// 0-based rows holding the header (one or two).
    pub header_rows: Vec<usize>,
    /// Each column's header as shown: "总投资 金额（亿元）" for a two-row header.
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// 0-based rows holding data (blank, total, subtotal, repeated header and note rows left out).
    pub rows: Vec<usize>,
    /// The texts above the header (title, "单位：万元" notes), for a unit stated there.
    pub above: Vec<String>,
}

impl Table {
    /// A fingerprint of the header (its words, in order), so a mapping the user adjusted is
    /// found again for the next file of the same shape.
    pub fn shape(&self) -> String {
        shape_of(&self.headers)
    }

    /// The header of a column as "C（总投资（亿元））".
    pub fn column_name(&self, col: usize) -> String {
        let h = self.headers.get(col).map_or("", String::as_str);
        if h.is_empty() {
            column_letter(col)
        } else {
            format!("{}（{}）", column_letter(col), h)
        }
    }
}

/// The headers' words in order, as [`Table::shape`] gives them.
fn shape_of(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| normalize(h))
        .collect::<Vec<_>>()
        .join("|")
}

/// Mappings users set, by header shape.
pub type Remembered = std::collections::HashMap<String, Mapping>;

/// What reading a workbook gave: the valid rows, every problem found, and the tables (for
/// showing and adjusting the mapping). An import is committed only when `errors` is empty.
#[derive(Debug, Clone)]
pub struct SheetResult<T> {
    pub rows: Vec<hezuo_domain::cells::Sourced<T>>,
    pub errors: Vec<CellError>,
    pub tables: Vec<Table>,
}

impl<T> Default for SheetResult<T> {
    fn default() -> Self {
        SheetResult {
            rows: Vec::new(),
            errors: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// A row's problems as (field key, value, message), reported against the field's column, or
/// "（缺少“…”列）" when the sheet has none.
pub(crate) fn push_row_errors(
    table: &Table,
    fields: &[Field],
    row: usize,
    row_errors: Vec<(String, String, String)>,
    errors: &mut Vec<CellError>,
) {
    for (key, value, message) in row_errors {
        let column = match table.mapping.get(&key) {
            Some(c) => table.column_name(*c),
            None => format!(
                "（缺少“{}”列）",
                fields.iter().find(|f| f.key == key).map_or("", |f| f.label)
            ),
        };
        errors.push(CellError {
            sheet: table.sheet.clone(),
            row: row + 1,
            column,
            value,
            message,
        });
    }
}

/// "A", "B", … "AA".
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Header text compared without spaces, line breaks, full-width forms, units or notes in
/// brackets: "总 投 资\n（亿元）" → "总投资".
pub fn normalize(header: &str) -> String {
    let h = half_width(header);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() || c == '*' || c == ':' || c == '：' => {}
            c if depth == 0 => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// How well a header names a field: 3 exact, 2 exact after dropping a leading group, 1
/// contains; with the length of the synonym that matched, so that of two fields matching a
/// header equally the more specific wins ("1-3月累计完成投资" is 累计, not 完成投资).
fn score(header: &str, field: &Field) -> (u8, usize) {
    let h = normalize(header);
    if h.is_empty() {
        return (0, 0);
    }
    let mut best = (0, 0);
    for s in field.synonyms {
        let s = normalize(s);
        let len = s.chars().count();
        let level = if h == s {
            3
        } else if h.ends_with(&s) {
            2
        } else if h.contains(&s) {
            1
        } else {
            0
        };
        best = best.max((level, len));
    }
    best
}

/// Matches headers to fields: each field takes its best-scoring column (leftmost on a tie),
/// each column at most one field. A column is named by any of its texts (a two-row header's
/// group, its own text, or both together).
fn match_headers(texts: &[Vec<String>], fields: &[Field]) -> (Mapping, u32) {
    let mut candidates: Vec<((u8, usize), usize, usize)> = Vec::new();
    for (fi, f) in fields.iter().enumerate() {
        for (col, names) in texts.iter().enumerate() {
            let s = names.iter().map(|h| score(h, f)).max().unwrap_or((0, 0));
            if s.0 > 0 {
                candidates.push((s, col, fi));
            }
        }
    }
    // Best score first; then leftmost column; then the field listed first.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut mapping = Mapping::new();
    let mut total = 0u32;
    let mut used = vec![false; texts.len()];
    for (s, col, fi) in candidates {
        let key = fields[fi].key;
        if used[col] || mapping.contains_key(key) {
            continue;
        }
        used[col] = true;
        total += u32::from(s.0);
        mapping.insert(key.to_string(), col);
    }
    (mapping, total)
}

/// The header shown for each column if rows `r` (and `r + 1` when `two`) form the header, and
/// the texts each column can be matched by. A two-row header gives a column its group's text
/// (the merged cell above it) followed by its own: "总投资 金额（亿元）".
fn headers_at(sheet: &Sheet, r: usize, two: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let width = sheet.rows.get(r).map_or(0, Vec::len).max(if two {
        sheet.rows.get(r + 1).map_or(0, Vec::len)
    } else {
        0
    });
    let mut shown = Vec::with_capacity(width);
    let mut texts = Vec::with_capacity(width);
    for c in 0..width {
        let top = header_text(sheet.shown(r, c));
        if !two {
            shown.push(top.clone());
            texts.push(vec![top]);
            continue;
        }
        let sub = header_text(sheet.shown(r + 1, c));
        // A cell merged down over both header rows shows the same text twice.
        if sub.is_empty() || sub == top {
            shown.push(top.clone());
            texts.push(vec![top]);
        } else if top.is_empty() {
            shown.push(sub.clone());
            texts.push(vec![sub]);
        } else {
            let both = format!("{top} {sub}");
            shown.push(both.clone());
            texts.push(vec![sub, both, top]);
        }
    }
    (shown, texts)
}

/// A header cell as shown, on one line: "所属\n区县" → "所属区县".
fn header_text(cell: &str) -> String {
    cell.replace(['\r', '\n'], "").trim().to_string()
}

/// Does row `r + 1` continue a header begun in row `r`? Yes when row `r` has a cell merged
/// across columns (a group over its sub-columns), or when row `r` leaves a cell empty above a
/// text of row `r + 1` and row `r + 1` holds no number (it is not data).
fn continues_header(sheet: &Sheet, r: usize) -> bool {
    // A title merged across the table is one text, not a header.
    let width = sheet.rows.get(r).map_or(0, Vec::len);
    let mut distinct: Vec<&str> = (0..width)
        .map(|c| sheet.shown(r, c))
        .filter(|t| !t.is_empty())
        .collect();
    distinct.dedup();
    if distinct.len() < 2 {
        return false;
    }
    if sheet
        .merged
        .iter()
        .any(|(r0, c0, r1, c1)| *r0 == r && *r1 == r && c1 > c0)
    {
        return true;
    }
    let Some(next) = sheet.rows.get(r + 1) else {
        return false;
    };
    let numeric = next.iter().any(|c| {
        !c.is_empty()
            && half_width(c)
                .replace([',', '.'], "")
                .chars()
                .all(|ch| ch.is_ascii_digit())
    });
    let under_gap = next
        .iter()
        .enumerate()
        .any(|(c, t)| !t.is_empty() && sheet.shown(r, c).is_empty());
    under_gap && !numeric
}

/// A header found: (fields matched, score, header rows, shown headers, mapping).
type Candidate = (usize, u32, Vec<usize>, Vec<String>, Mapping);

/// Rows searched for a header.
const HEADER_SEARCH_ROWS: usize = 30;

/// Finds the table of `fields` in a sheet: the header (one row or two) matching the most
/// fields, at least two of them including every required one. `None` for a sheet without
/// such a header (a notes sheet, an empty sheet).
pub fn find_table(sheet: &Sheet, fields: &[Field], remembered: &Remembered) -> Option<Table> {
    let mut table = find_header(sheet, fields, remembered)?;
    let from = table.header_rows.last()? + 1;
    table.rows = data_rows(
        sheet,
        from..sheet.rows.len(),
        &table.headers,
        &table.mapping,
    );
    Some(table)
}

/// Rows a sheet needs before [`find_header`] has seen all it looks at.
pub(crate) const HEADER_ROWS_NEEDED: usize = HEADER_SEARCH_ROWS + 1;

/// [`find_table`] without its data rows: what the first [`HEADER_ROWS_NEEDED`] rows of a sheet
/// and its merged regions decide.
pub(crate) fn find_header(
    sheet: &Sheet,
    fields: &[Field],
    remembered: &Remembered,
) -> Option<Table> {
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let mut best: Option<Candidate> = None;
    for r in 0..sheet.rows.len().min(HEADER_SEARCH_ROWS) {
        for two in [false, true] {
            if two && !continues_header(sheet, r) {
                continue;
            }
            let (shown, texts) = headers_at(sheet, r, two);
            let (mapping, total) = match_headers(&texts, fields);
            if mapping.len() < 2 || required.iter().any(|k| !mapping.contains_key(*k)) {
                continue;
            }
            let better = best.as_ref().is_none_or(|(n, t, ..)| {
                (mapping.len(), total) > (*n, *t) || (two && (mapping.len(), total) == (*n, *t))
            });
            if better {
                let rows = if two { vec![r, r + 1] } else { vec![r] };
                best = Some((mapping.len(), total, rows, shown, mapping));
            }
        }
    }
    let (_, _, header_rows, headers, detected) = best?;
    // A mapping the user set for this header's shape wins, as far as it still fits.
    let shape = shape_of(&headers);
    let mapping = remembered
        .get(&shape)
        .map(|m| {
            m.iter()
                .filter(|(k, c)| **c < headers.len() && fields.iter().any(|f| f.key == k.as_str()))
                .map(|(k, c)| (k.clone(), *c))
                .collect::<Mapping>()
        })
        .filter(|m| required.iter().all(|k| m.contains_key(*k)))
        .unwrap_or(detected);
    let above = sheet.rows[..header_rows[0]]
        .iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect();
    Some(Table {
        sheet: sheet.name.clone(),
        header_rows,
        headers,
        mapping,
        rows: Vec::new(),
        above,
    })
}

/// The data rows after the header: blank rows, subtotal and total rows, a repeated header and
/// the notes under a table (注：…, 填表人：…) are left out.
pub(crate) fn data_rows(
    sheet: &Sheet,
    rows: std::ops::Range<usize>,
    headers: &[String],
    mapping: &Mapping,
) -> Vec<usize> {
    // The header as a repeated header row would read, once for every row.
    let heads: Vec<(usize, String)> = mapping
        .values()
        .map(|c| (*c, normalize(&headers[*c])))
        .collect();
    let mut out = Vec::new();
    for r in rows {
        let cells = &sheet.rows[r];
        let cell = |c: usize| cells.get(c).map_or("", String::as_str);
        if mapping.values().all(|c| cell(*c).trim().is_empty()) || is_total_row(cells) {
            continue;
        }
        let repeated_header = heads.iter().all(|(c, h)| normalize(cell(*c)) == *h);
        let mut filled = cells.iter().filter(|c| !c.trim().is_empty());
        let first = filled.next();
        let note = filled.nth(1).is_none()
            && first.is_some_and(|c| {
                let c = half_width(c);
                [
                    "注",
                    "说明",
                    "备注:",
                    "填表",
                    "制表",
                    "审核",
                    "联系人",
                    "联系电话",
                ]
                .iter()
                .any(|p| c.starts_with(p))
            });
        if repeated_header || note {
            continue;
        }
        out.push(r);
    }
    out
}

/// Sheets that only explain how to fill the others.
pub(crate) fn is_notes_sheet(name: &str) -> bool {
    let n = normalize(name);
    [
        "说明",
        "填表说明",
        "填报说明",
        "备注",
        "注意事项",
        "目录",
        "readme",
    ]
    .iter()
    .any(|w| n == *w || n.starts_with(w))
}

/// Every table of `fields` in the book (notes sheets skipped), and, when there is none, the
/// problem saying so.
pub fn find_tables(
    book: &Book,
    fields: &[Field],
    remembered: &Remembered,
) -> (Vec<Table>, Vec<CellError>) {
    let tables: Vec<Table> = book
        .sheets
        .iter()
        .filter(|s| !is_notes_sheet(&s.name))
        .filter_map(|s| find_table(s, fields, remembered))
        .collect();
    let errors = if tables.is_empty() {
        vec![no_table(fields)]
    } else {
        Vec::new()
    };
    (tables, errors)
}

/// The problem of a book without a table of `fields`.
pub(crate) fn no_table(fields: &[Field]) -> CellError {
    let required: Vec<String> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("“{}”", f.label))
        .collect();
    CellError {
        sheet: String::new(),
        row: 0,
        column: String::new(),
        value: String::new(),
        message: format!(
            "工作簿中没有找到表头：各工作表前 {HEADER_SEARCH_ROWS} 行中都没有含{}等列的一行",
            required.join("、")
        ),
    }
}

/// An empty workbook to fill in: a title, the fields' headers (required ones marked *), an
/// example row, and a 填表说明 sheet saying what each column takes. It imports as it is once
/// the example row is replaced.
pub fn template(
    title: &str,
    fields: &[Field],
    example: &[&str],
    notes: &[(&str, &str)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(0xDDEBF7)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("导入数据")?;
    let last = fields.len().max(1) as u16 - 1;
    ws.merge_range(
        0,
        0,
        0,
        last,
        title,
        &Format::new().set_bold().set_font_size(14),
    )?;
    for (c, f) in fields.iter().enumerate() {
        let label = if f.required {
            format!("{}*", f.label)
        } else {
            f.label.to_string()
        };
        ws.write_string_with_format(1, c as u16, &label, &head)?;
        ws.set_column_width(c as u16, (f.label.chars().count() as f64 * 2.2).max(12.0))?;
        ws.write_string_with_format(2, c as u16, example.get(c).copied().unwrap_or(""), &cell)?;
    }
    ws.set_freeze_panes(2, 0)?;
    let help = wb.add_worksheet();
    help.set_name("填表说明")?;
    help.set_column_width(0, 18)?;
    help.set_column_width(1, 90)?;
    help.write_string_with_format(0, 0, "列", &head)?;
    help.write_string_with_format(0, 1, "怎么填", &head)?;
    for (r, (col, how)) in notes.iter().enumerate() {
        help.write_string(r as u32 + 1, 0, *col)?;
        help.write_string(r as u32 + 1, 1, *how)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests;
