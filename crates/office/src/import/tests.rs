//! Workbooks laid out the way offices lay them out, built here, read back through the import.

use super::project::{FIELDS, Vocab, read_in_pieces, read_projects};
use super::*;
use crate::book::read_book;
use chrono::NaiveDate;
use hezuo_domain::Yuan;
use hezuo_domain::project::Origin;
use rust_xlsxwriter::{Format, Workbook};

fn vocab() -> Vocab {
    Vocab {
        districts: vec![
            ("330502".into(), "吴兴区".into()),
            ("330503".into(), "南浔区".into()),
            ("330521".into(), "德清县".into()),
        ],
        platforms: vec![(
            7,
            "长三角（湖州）产业合作区".into(),
            "CHQ".into(),
            "330502".into(),
        )],
        industries: vec![(1, "高端装备".into()), (2, "新能源汽车".into())],
        chains: vec![(3, "数控机床".into())],
        leaders: vec![(4, "沈卫东".into())],
        units: vec![(5, "市投资促进服务中心".into())],
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
}

/// The office's 2024 summary table: a notes sheet first, a title, a unit note, a two-row
/// header with a merged group, numbers as text, full-width text, three date spellings, a
/// subtotal, a blank row, a total and a note under the table.
pub(crate) fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes
        .write(0, 0, "1. 金额单位为亿元；2. 日期写作 2024.3.5")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("重点项目").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 9, "2024年湖州市招商引资项目汇总表", &f)
        .unwrap();
    ws.write(1, 0, "填报单位：市合作办").unwrap();
    ws.write(1, 7, "单位：万元").unwrap();
    for (c, h) in [
        (0, "序号"),
        (1, "项目名称"),
        (2, "投资方"),
        (5, "来源地"),
        (6, "所属\n区县"),
        (7, "项目阶段"),
        (8, "签约日期"),
        (9, "备注"),
    ] {
        ws.merge_range(2, c, 3, c, h, &f).unwrap();
    }
    ws.merge_range(2, 3, 2, 4, "总投资", &f).unwrap();
    ws.write(3, 3, "金额（亿元）").unwrap();
    ws.write(3, 4, "其中外资（万美元）").unwrap();
    let data: [[&str; 9]; 3] = [
        [
            "1",
            "新能源汽车电机项目",
            "上海某电机有限公司",
            "1.2",
            "",
            "上海",
            "吴兴",
            "已签约",
            "2024.3.5",
        ],
        [
            "2",
            "智能装备产业园",
            "苏州某装备集团",
            "8000万元",
            "",
            "江苏省",
            "南浔区",
            "在建",
            "45366",
        ],
        [
            "3",
            "ＡＢＣ　精密部件",
            "上海某精密",
            "０.５",
            "",
            "沪",
            "吴兴区",
            "签约",
            "2024年3月5日",
        ],
    ];
    let mut r = 4;
    for (i, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c == 8 && v.chars().all(|ch| ch.is_ascii_digit()) {
                ws.write_number(r, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else if c == 0 {
                ws.write_number(r, 0, v.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
        r += 1;
        if i == 1 {
            ws.write(r, 1, "吴兴区小计").unwrap();
            ws.write(r, 3, 2.0).unwrap();
            r += 2; // and a blank row
        }
    }
    ws.write(r, 0, "合计").unwrap();
    ws.write(r, 3, 2.5).unwrap();
    ws.write(r + 2, 0, "注：本表由各区县于每月5日前报送。")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn finds_the_table_under_a_title_with_a_two_row_header() {
    let book = read_book(&messy_workbook()).unwrap();
    let (tables, errors) = find_tables(&book, FIELDS, &Remembered::new());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(tables.len(), 1, "the notes sheet is not a table");
    let t = &tables[0];
    assert_eq!(t.sheet, "重点项目");
    assert_eq!(t.header_rows, vec![2, 3]);
    assert_eq!(t.headers[3], "总投资 金额（亿元）");
    assert_eq!(t.mapping["investment_wan"], 3);
    assert_eq!(t.mapping["district_code"], 6);
    assert_eq!(t.mapping["name"], 1);
    // Three data rows: subtotal, blank, total and the note are left out.
    assert_eq!(t.rows, vec![4, 5, 8]);
}

#[test]
fn reads_messy_rows_into_drafts() {
    let book = read_book(&messy_workbook()).unwrap();
    let result = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert!(result.errors.is_empty(), "{:#?}", result.errors);
    let rows = &result.rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].row, 5);
    assert_eq!(rows[0].value.name, "新能源汽车电机项目");
    // 1.2 in a column headed 亿元 is 12000 万元; "8000万元" in the cell wins over the header.
    assert_eq!(rows[0].value.investment_cny, Yuan::from_wan(12_000));
    assert_eq!(rows[1].value.investment_cny, Yuan::from_wan(8_000));
    assert_eq!(rows[2].value.investment_cny, Yuan::from_wan(5_000));
    assert_eq!(
        rows[2].value.name, "ＡＢＣ　精密部件",
        "names are kept as typed"
    );
    assert_eq!(rows[0].value.district_code, "330502");
    assert_eq!(rows[1].value.district_code, "330503");
    assert_eq!(rows[2].value.origin, Origin::Shanghai);
    assert_eq!(rows[1].value.origin, Origin::Jiangsu);
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    assert_eq!(rows[0].value.signed_on, d("2024-03-05"));
    assert_eq!(
        rows[1].value.signed_on,
        d("2024-03-15"),
        "Excel serial 45366"
    );
    assert_eq!(rows[2].value.signed_on, d("2024-03-05"));
    assert_eq!(rows[1].value.stage, hezuo_domain::Stage::Started);
}

/// A plain sheet "项目": one header row (name, 总投资（万元）, origin, district, signing date,
/// stage) and `rows` under it.
fn plain_project_book<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R]) -> crate::book::Book {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    let header = [
        "项目名称",
        "总投资（万元）",
        "来源地",
        "区县",
        "签约日期",
        "阶段",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.as_ref().iter().enumerate() {
            ws.write(r as u32 + 1, c as u16, v.as_ref()).unwrap();
        }
    }
    read_book(&wb.save_to_buffer().unwrap()).unwrap()
}

#[test]
fn every_problem_is_reported_with_sheet_row_column_and_value() {
    let book = plain_project_book(&[
        ["好项目", "100", "上海", "吴兴", "2024-03-05", "签约"],
        ["", "100", "上海", "吴兴", "2024-03-05", "签约"],
        ["坏日期", "一百", "火星", "西湖区", "2024.13.5", "已完工"],
    ]);
    let result = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert_eq!(result.rows.len(), 1);
    let at = |row: usize, col: &str| {
        result
            .errors
            .iter()
            .find(|e| e.row == row && e.column.starts_with(col))
            .unwrap_or_else(|| panic!("no error at {row}{col}: {:#?}", result.errors))
    };
    assert_eq!(at(3, "A").message, "请填写项目名称");
    let e = at(4, "E");
    assert_eq!((e.sheet.as_str(), e.value.as_str()), ("项目", "2024.13.5"));
    assert!(e.message.contains("不是有效的日期"), "{}", e.message);
    assert_eq!(at(4, "E").column, "E（签约日期）");
    assert!(at(4, "B").message.contains("一百") || !at(4, "B").message.is_empty());
    assert!(at(4, "C").message.contains("来源地"));
    assert!(at(4, "D").message.contains("区县"));
    assert!(at(4, "F").message.contains("阶段"));
}

#[test]
fn csv_in_gb18030_with_a_bom_less_header() {
    let text = "项目名称,协议投资(亿元),来源地,所属区县\n甲项目,1.5,上海,德清\n合计,1.5,,\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let book = read_book(&bytes).unwrap();
    let result = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert!(result.errors.is_empty(), "{:#?}", result.errors);
    assert_eq!(result.rows.len(), 1);
    assert_eq!(result.rows[0].value.investment_cny, Yuan::from_wan(15_000));
    assert_eq!(result.rows[0].value.district_code, "330521");
}

#[test]
fn a_workbook_without_a_project_table_says_so() {
    let mut wb = Workbook::new();
    wb.add_worksheet().write(0, 0, "只是一张说明").unwrap();
    let book = read_book(&wb.save_to_buffer().unwrap()).unwrap();
    let result = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert!(result.rows.is_empty());
    assert_eq!(result.errors.len(), 1);
    assert!(
        result.errors[0].message.contains("表头"),
        "{:?}",
        result.errors
    );
}

#[test]
fn hostile_files_are_refused_with_a_reason() {
    use crate::book::BookError;
    // Not a workbook, whatever the name says.
    let e = read_book(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").unwrap_err();
    assert!(matches!(e, BookError::NotSpreadsheet(_)), "{e:?}");
    // A zip that is not a workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(matches!(
        read_book(&bytes).unwrap_err(),
        BookError::NotSpreadsheet(_)
    ));
    // Too large.
    let big = vec![b'a'; crate::book::MAX_FILE_BYTES + 1];
    assert!(matches!(
        read_book(&big).unwrap_err(),
        BookError::TooLarge(51)
    ));
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn headers_are_compared_without_units_and_spaces() {
    assert_eq!(normalize("总 投 资\n（亿元）"), "总投资");
    assert_eq!(normalize("*项目名称:"), "项目名称");
}

#[test]
fn a_book_crosses_between_processes_unchanged() {
    use crate::book::{BookError, BookSink, PieceSink, read_book_into, read_frames};
    let bytes = messy_workbook();
    let book = read_book(&bytes).unwrap();
    let mut frames = Vec::new();
    let mut sink = PieceSink::new(|p: crate::book::Piece| {
        p.write_frame(&mut frames)
            .map_err(|e| BookError::Corrupt(e.to_string()))
    });
    read_book_into(&bytes, &mut sink).unwrap();
    sink.done().unwrap();
    let mut back = BookSink::default();
    for piece in read_frames(&frames).unwrap() {
        back.piece(piece).unwrap();
    }
    assert_eq!(back.book, book);
    // Truncated or altered bytes are refused, never half-read.
    assert_eq!(read_frames(&frames[..frames.len() - 1]), None);
    let mut huge = frames.clone();
    // The sheet frame's name length.
    huge[5..13].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(read_frames(&huge), None);
}

#[test]
fn the_template_reads_back_as_one_valid_project() {
    let bytes = super::project::template().unwrap();
    let book = read_book(&bytes).unwrap();
    let result = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert!(result.errors.is_empty(), "{:#?}", result.errors);
    assert_eq!(result.rows.len(), 1);
    assert_eq!(result.rows[0].value.investment_cny, Yuan::from_wan(52_000));
    assert_eq!(
        result.tables[0].mapping.len(),
        FIELDS.len(),
        "every column is recognised"
    );
}

#[test]
fn a_mapping_set_for_a_shape_is_used_for_the_next_file_of_that_shape() {
    // "负责人" is not a word for any field; the user says it is the 招商人员 column, and that
    // 备注 holds the 建设内容.
    let csv =
        "项目名称,协议投资（万元）,来源地,区县,负责人,备注\n甲项目,100,上海,吴兴,张三,新建厂房\n";
    let book = read_book(csv.as_bytes()).unwrap();
    let first = read_projects(&book, &vocab(), today(), &Remembered::new());
    let table = &first.tables[0];
    assert!(!table.mapping.contains_key("promoter"));
    let mut mapping = table.mapping.clone();
    mapping.insert("promoter".into(), 4);
    mapping.insert("summary".into(), 5);
    let remembered = Remembered::from([(table.shape(), mapping)]);
    let second = read_projects(&book, &vocab(), today(), &remembered);
    assert!(second.errors.is_empty(), "{:?}", second.errors);
    assert_eq!(second.rows[0].value.promoter, "张三");
    assert_eq!(second.rows[0].value.summary, "新建厂房");
    // A remembered mapping without a required field is not used.
    let broken = Remembered::from([(table.shape(), Mapping::from([("summary".to_string(), 5)]))]);
    let third = read_projects(&book, &vocab(), today(), &broken);
    assert_eq!(third.rows[0].value.name, "甲项目");
}

/// A sheet arrives from the parsing child in pieces; rows and problems come back exactly as
/// reading it in one piece gives them, in the sheet's order, whatever the pieces' size (one
/// row a piece puts the header's first rows in pieces of their own too).
#[test]
fn a_sheet_read_in_pieces_reads_as_in_one() {
    let rows: Vec<[String; 6]> = (1..=301u32)
        .map(|r| {
            // Every seventh row has a problem (an amount that is no number, an unknown district).
            let bad = r % 7 == 0;
            [
                format!("项目{r}"),
                if bad {
                    "若干".into()
                } else {
                    format!("{}", 100 + r)
                },
                "上海".into(),
                if bad {
                    "西湖区".into()
                } else {
                    "吴兴".into()
                },
                format!("2024-03-{:02}", 1 + r % 28),
                "签约".into(),
            ]
        })
        .collect();
    let book = plain_project_book(&rows);
    let whole = read_projects(&book, &vocab(), today(), &Remembered::new());
    assert_eq!(whole.rows.len(), 301 - 301 / 7);
    assert_eq!(whole.errors.len(), 2 * (301 / 7), "{:?}", whole.errors);
    assert!(whole.rows.windows(2).all(|w| w[0].row < w[1].row));
    for per_piece in [1, 7, 64] {
        let parts = read_in_pieces(&book, &vocab(), today(), &Remembered::new(), per_piece);
        assert_eq!(parts.rows, whole.rows, "{per_piece} a piece");
        assert_eq!(parts.errors, whole.errors);
        assert_eq!(parts.tables, whole.tables);
    }
    // The messy book too: a notes sheet, a title, a two-row merged header, totals and notes.
    let messy = read_book(&messy_workbook()).unwrap();
    let whole = read_projects(&messy, &vocab(), today(), &Remembered::new());
    let parts = read_in_pieces(&messy, &vocab(), today(), &Remembered::new(), 1);
    assert_eq!(
        (parts.rows, parts.errors, parts.tables),
        (whole.rows, whole.errors, whole.tables)
    );
}

/// Rows arriving out of order (never from the parsing child, which refuses such a sheet) are a
/// problem reported against the sheet, not a sheet quietly left out.
#[test]
fn rows_out_of_order_are_a_problem_not_a_skipped_sheet() {
    use crate::book::Piece;
    let (vocab, remembered) = (vocab(), Remembered::new());
    let mut stream = super::project::ProjectStream::new(&vocab, today(), &remembered);
    stream.piece(Piece::Sheet {
        name: "项目".into(),
        declared_rows: 3,
        merged: Vec::new(),
    });
    let row = |i: usize, cells: &[&str]| (i, cells.iter().map(|c| c.to_string()).collect());
    stream.piece(Piece::Rows(vec![
        row(0, &["项目名称", "区县"]),
        row(2, &["甲", "吴兴"]),
        row(1, &["乙", "吴兴"]),
    ]));
    stream.piece(Piece::End);
    let read = stream.finish();
    assert!(
        read.errors
            .iter()
            .any(|e| e.sheet == "项目" && e.row == 2 && e.message.contains("行顺序错乱")),
        "{:?}",
        read.errors
    );
}
