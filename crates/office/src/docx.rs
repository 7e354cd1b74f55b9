//! Word documents in the form of a government bulletin (公文, GB/T 9704): A4 with the standard
//! margins, the title in 方正小标宋, headings in 黑体, body text in 仿宋_GB2312 at 三号 with a
//! two-character first-line indent and fixed 28.95-point lines, tables with a header and a
//! totals row, charts as pictures, and "— N —" page numbers. The fonts are named in the
//! styles and listed in the font table with the common equivalent each falls back to (仿宋_GB2312
//! → 仿宋, 黑体 → SimHei …), so Word and WPS use the office's fonts or the nearest they have,
//! and LibreOffice substitutes its own.
//!
//! A [`Document`] is plain data: what to say, in order. Writing it is [`write_docx`].

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Pic,
    Run, RunFonts, Shading, SpecialIndentType, Style, StyleType, Table, TableAlignmentType,
    TableCell, TableCellMargins, TableRow, VAlignType, WidthType,
};

/// A bulletin: a title, lines under it (issuer, period, date) and the blocks in order.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub title: String,
    pub subtitle: Vec<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// "一、签约引资": a first-level heading, numbered by the writer of the text.
    Heading(String),
    /// A body paragraph.
    Paragraph(String),
    Table(DocTable),
    /// A picture (PNG), centred, with a caption under it.
    Image(Image),
}

#[derive(Debug, Clone)]
pub struct DocTable {
    /// The caption above the table ("表1 各区县投资完成情况").
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The 合计 row, when the table has one.
    pub total: Option<Vec<String>>,
    /// Relative column widths; the table spans the text width.
    pub widths: Vec<u32>,
    /// Columns aligned right (numbers).
    pub numeric: Vec<bool>,
}

impl DocTable {
    /// Is column `c` a number column (aligned right)?
    pub fn is_numeric<C: std::borrow::Borrow<usize>>(&self, c: C) -> bool {
        self.numeric.get(*c.borrow()).copied().unwrap_or(false)
    }
}

#[derive(Debug, Clone)]
pub struct Image {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub caption: String,
    /// The picture as SVG, for a page previewing the document (the .docx holds the PNG).
    pub svg: String,
}

/// Text width of an A4 page with 公文 margins (210 − 28 − 26 mm), in twips.
const TEXT_WIDTH_TWIPS: u32 = 9_071;
/// 三号 (16 pt) in half-points, the body size.
const SIZE_3: usize = 32;
/// 二号 (22 pt), the title size.
const SIZE_2: usize = 44;
/// 五号 (10.5 pt) in tables.
const SIZE_TABLE: usize = 21;
/// Two characters of 三号 (2 × 16 pt) in twips: the first-line indent of body text. Word reads
/// `firstLineChars` (two characters of whatever size); LibreOffice reads the twips.
const FIRST_LINE: i32 = 640;
/// Fixed line pitch of the body, 28.95 pt in twips (22 lines on a page).
const BODY_LINE: i32 = 579;

fn fonts(east_asia: &str, ascii: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(ascii)
        .hi_ansi(ascii)
}

/// A style of the running text: 三号, first line indented two characters, fixed line pitch.
fn text_style(id: &str, name: &str, east_asia: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .fonts(fonts(east_asia, "Times New Roman"))
        .size(SIZE_3)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .first_line_chars(200)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(BODY_LINE),
        )
}

fn styles() -> Vec<Style> {
    vec![
        Style::new("HezuoTitle", StyleType::Paragraph)
            .name("简报标题")
            .fonts(fonts("方正小标宋简体", "Times New Roman"))
            .size(SIZE_2)
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(360)
                    .after(240),
            ),
        Style::new("HezuoSubtitle", StyleType::Paragraph)
            .name("简报题注")
            .fonts(fonts("楷体_GB2312", "Times New Roman"))
            .size(SIZE_3)
            .align(AlignmentType::Center),
        text_style("HezuoHeading1", "一级标题", "黑体").outline_lvl(0),
        text_style("HezuoBody", "正文", "仿宋_GB2312").align(AlignmentType::Both),
        Style::new("HezuoCaption", StyleType::Paragraph)
            .name("图表标题")
            .fonts(fonts("黑体", "Times New Roman"))
            .size(24)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(120).after(60)),
        Style::new("HezuoCell", StyleType::Paragraph)
            .name("表格文字")
            .fonts(fonts("仿宋_GB2312", "Times New Roman"))
            .size(SIZE_TABLE),
    ]
}

fn para(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(text))
}

fn cell(text: &str, bold: bool, right: bool, width: usize) -> TableCell {
    let mut run = Run::new().add_text(text);
    if bold {
        run = run.bold();
    }
    let p = Paragraph::new()
        .style("HezuoCell")
        .align(if right {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        })
        .add_run(run);
    TableCell::new()
        .add_paragraph(p)
        .vertical_align(VAlignType::Center)
        .width(width, WidthType::Dxa)
}

fn table(t: &DocTable) -> Table {
    let sum: u32 = t.widths.iter().sum::<u32>().max(1);
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (TEXT_WIDTH_TWIPS * w / sum) as usize)
        .collect();
    let width = |c: usize| widths.get(c).copied().unwrap_or(1000);
    let header = TableRow::new(
        t.header
            .iter()
            .enumerate()
            .map(|(c, h)| cell(h, true, false, width(c)).shading(Shading::new().fill("DDEBF7")))
            .collect(),
    );
    let mut rows = vec![header];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(c, v)| cell(v, false, t.is_numeric(c), width(c)))
                .collect(),
        ));
    }
    if let Some(total) = &t.total {
        rows.push(TableRow::new(
            total
                .iter()
                .enumerate()
                .map(|(c, v)| {
                    cell(v, true, t.is_numeric(c), width(c)).shading(Shading::new().fill("F2F2F2"))
                })
                .collect(),
        ));
    }
    // 2 pt above and below the text of a cell, 5 pt either side: rows that read as a form.
    Table::new(rows)
        .set_grid(widths.clone())
        .width(TEXT_WIDTH_TWIPS as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(40, 100, 40, 100))
}

/// EMU per pixel at 96 dpi.
const EMU_PER_PX: u32 = 9_525;

fn image(i: &Image) -> Paragraph {
    // Scaled to the text width at most, keeping the aspect ratio.
    let max_px = TEXT_WIDTH_TWIPS * 96 / 1440;
    let (w, h) = if i.width_px > max_px {
        (max_px, i.height_px * max_px / i.width_px.max(1))
    } else {
        (i.width_px, i.height_px)
    };
    let pic = Pic::new_with_dimensions(i.png.clone(), i.width_px, i.height_px)
        .size(w * EMU_PER_PX, h * EMU_PER_PX);
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_image(pic))
}

/// The .docx of a document.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, String> {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(
                Run::new()
                    .add_text("— ")
                    .fonts(fonts("宋体", "Times New Roman"))
                    .size(28),
            )
            .add_page_num(PageNum::new())
            .add_run(
                Run::new()
                    .add_text(" —")
                    .fonts(fonts("宋体", "Times New Roman"))
                    .size(28),
            )
            .size(28),
    );
    let mut docx = Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(
            PageMargin::new()
                .top(2_098)
                .bottom(1_984)
                .left(1_588)
                .right(1_474)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts("仿宋_GB2312", "Times New Roman"))
        .default_size(SIZE_3)
        .footer(footer);
    for s in styles() {
        docx = docx.add_style(s);
    }
    docx = docx.add_paragraph(para("HezuoTitle", &doc.title));
    for line in &doc.subtitle {
        docx = docx.add_paragraph(para("HezuoSubtitle", line));
    }
    // A blank line between the head and the text, as 公文 have.
    docx = docx.add_paragraph(Paragraph::new().style("HezuoBody"));
    for b in &doc.blocks {
        docx = match b {
            Block::Heading(h) => docx.add_paragraph(para("HezuoHeading1", h).keep_next(true)),
            Block::Paragraph(p) => docx.add_paragraph(para("HezuoBody", p)),
            Block::Table(t) => docx
                .add_paragraph(para("HezuoCaption", &t.caption).keep_next(true))
                .add_table(table(t))
                .add_paragraph(Paragraph::new().style("HezuoCell")),
            Block::Image(i) => docx
                .add_paragraph(image(i).keep_next(true))
                .add_paragraph(para("HezuoCaption", &i.caption)),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| e.to_string())?;
    with_font_table(&out.into_inner()).map_err(|e| e.to_string())
}

/// The fonts the styles name, each with the common equivalent Word (and WPS) falls back to on
/// a machine without it (`w:altName`), and GB2312 as its character set.
const FONT_TABLE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    r#"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#,
    r#"</w:fonts>"#
);

/// The package with [`FONT_TABLE`] in place of the writer's own (which knows Latin fonts only).
fn with_font_table(package: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(package))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut part = src.by_index(i)?;
        let name = part.name()?.to_string();
        if part.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        out.start_file(name.as_str(), options)?;
        if name == "word/fontTable.xml" {
            out.write_all(FONT_TABLE.as_bytes())?;
        } else {
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes)?;
            out.write_all(&bytes)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn a_bulletin_is_an_a4_document_in_the_office_fonts() {
        let png = crate::chart::svg_to_png(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"><rect width="20" height="10" fill="red"/></svg>"#,
            1.0,
        )
        .unwrap();
        let doc = Document {
            title: "湖州市区域合作工作简报".into(),
            subtitle: vec!["2024年6月".into()],
            blocks: vec![
                Block::Heading("一、总体情况".into()),
                Block::Paragraph("1—6月，全市签约引资项目2个。".into()),
                Block::Table(DocTable {
                    caption: "表1　规模".into(),
                    header: vec!["规模".into(), "项目数（个）".into()],
                    rows: vec![vec!["1亿元以上".into(), "2".into()]],
                    total: Some(vec!["合计".into(), "2".into()]),
                    widths: vec![2, 1],
                    numeric: vec![false, true],
                }),
                Block::Image(Image {
                    png: png.bytes,
                    width_px: png.width,
                    height_px: png.height,
                    caption: "图1　红".into(),
                    svg: String::new(),
                }),
            ],
        };
        let bytes = write_docx(&doc).unwrap();
        let body = part(&bytes, "word/document.xml");
        for text in [
            "湖州市区域合作工作简报",
            "一、总体情况",
            "1亿元以上",
            "合计",
            "图1　红",
        ] {
            assert!(body.contains(text), "{text}");
        }
        assert!(
            body.contains(r#"w:w="11906""#) && body.contains(r#"w:h="16838""#),
            "A4"
        );
        let styles = part(&bytes, "word/styles.xml");
        for font in ["方正小标宋简体", "黑体", "仿宋_GB2312"] {
            assert!(styles.contains(font), "{font} named in the styles");
        }
        assert!(
            styles.contains(r#"w:firstLine="640""#),
            "body text indented two characters"
        );
        let fonts = part(&bytes, "word/fontTable.xml");
        assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
        assert!(
            part(&bytes, "word/footer1.xml").contains("PAGE"),
            "page numbers"
        );
        let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        assert!(
            zip.file_names()
                .any(|n| n.as_ref().is_ok_and(|n| n.ends_with(".png")))
        );
    }
}
