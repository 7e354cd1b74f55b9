//! Enterprise data sheets as the bureaus send them, built here and read back through the
//! import: a title with the year, a unit note, units in headers and cells, full-width digits,
//! bad and repeated credit codes; the tax bureau's three columns; land in 平方米.

use super::*;
use crate::book::read_book;
use rust_xlsxwriter::{Format, Workbook};

fn vocab() -> Vocab {
    Vocab {
        districts: vec![
            ("330502".into(), "吴兴区".into()),
            ("330503".into(), "南浔区".into()),
        ],
        ..Vocab::default()
    }
}

fn read(bytes: &[u8]) -> SheetResult<EnterpriseRecord> {
    let book = read_book(bytes).unwrap();
    read_enterprises(&book, &vocab(), &Remembered::new(), 2025)
}

fn figure(r: &EnterpriseRecord, f: DataField) -> Option<Option<i64>> {
    r.figures.iter().find(|(k, _)| *k == f).map(|(_, v)| *v)
}

const GOOD_1: &str = "91330502MA2B00001R";
const GOOD_2: &str = "91330503MA2B00002B";
const GOOD_3: &str = "91330502MA2B000043";

/// The statistics bureau's sheet: a notes sheet, the year only in the title, "单位：万元"
/// above the table, a 元 column, a cell in 亿元, full-width digits and a spaced full-width
/// code, a bad check character, an unknown district, a repeated code, a subtotal, a total and
/// a note under the table.
fn statistics_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("填表说明")
        .unwrap()
        .write(0, 0, "金额单位为万元")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("统计局数据").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        14,
        "2024年度规上工业企业亩均效益评价数据",
        &Format::new(),
    )
    .unwrap();
    ws.write(1, 12, "单位：万元").unwrap();
    let header = [
        "序号",
        "统一社会\n信用代码",
        "企业名称",
        "所在区县",
        "行业",
        "规上/规下",
        "自有用地（亩）",
        "租赁用地（亩）",
        "工业增加值",
        "营业收入（元）",
        "综合能耗（吨标煤）",
        "用电量（万千瓦时）",
        "从业人员（人）",
        "研发经费",
        "免评原因",
        "加减分项",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    let rows: [[&str; 16]; 6] = [
        [
            "1",
            "９１３３ ０５０２ＭＡ２Ｂ０００01Ｒ",
            "湖州甲精密机械有限公司",
            "吴兴",
            "通用设备制造业",
            "规上",
            "45.5",
            "4.5",
            "5200",
            "21,000,000",
            "1350.567",
            "420",
            "１８６",
            "730万元",
            "",
            "省级以上研发机构",
        ],
        [
            "2",
            GOOD_2,
            "湖州乙新材料有限公司",
            "南浔区",
            "化学原料",
            "否",
            "12.5亩",
            "",
            "0.35亿元",
            "",
            "",
            "35000千瓦时",
            "40",
            "—",
            "在建项目",
            "",
        ],
        [
            "3",
            "91330502MA2B00001X",
            "校验位错的公司",
            "吴兴区",
            "",
            "是",
            "",
            "",
            "1",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "4",
            GOOD_3,
            "没写区县的公司",
            "",
            "",
            "",
            "",
            "",
            "2",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "5",
            GOOD_1,
            "湖州甲精密机械有限公司",
            "西湖区",
            "",
            "大型",
            "",
            "",
            "一百",
            "",
            "",
            "",
            "",
            "",
            "关停",
            "",
        ],
        [
            "",
            "吴兴区小计",
            "",
            "",
            "",
            "",
            "",
            "",
            "5203",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(3 + i as u32, c as u16, *v).unwrap();
        }
    }
    ws.write(9, 0, "合计").unwrap();
    ws.write(9, 8, 5203.35).unwrap();
    ws.write(11, 0, "注：数据来源于市统计局。").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_statistics_bureaus_sheet_is_read_with_its_units_and_every_problem_placed() {
    let result = read(&statistics_workbook());
    assert_eq!(result.tables[0].sheet, "统计局数据");
    assert_eq!(
        result.tables[0].rows.len(),
        5,
        "subtotal, total and note left out"
    );

    // Row 4: the spaced full-width code is the one enterprise; 5200 is 万元 by the note above
    // the table, 21,000,000 is 元 by its header, 730万元 by its cell; energy keeps two
    // decimals (1350.567 → 1350.57), electricity is 万千瓦时 by its header.
    let first = &result.rows[0];
    assert_eq!((first.sheet.as_str(), first.row), ("统计局数据", 4));
    let r = &first.value;
    assert_eq!(r.credit_code.as_str(), GOOD_1);
    assert_eq!(r.year, Some(2024), "the title's year");
    assert_eq!(r.name.as_deref(), Some("湖州甲精密机械有限公司"));
    assert_eq!(r.district_code.as_deref(), Some("330502"));
    assert_eq!(r.industry.as_deref(), Some("通用设备制造业"));
    assert_eq!(r.above_scale, Some(true));
    assert_eq!(
        (r.land_owned_x100, r.land_leased_x100),
        (Some(4550), Some(450))
    );
    assert_eq!(figure(r, DataField::ValueAdded), Some(Some(52_000_000)));
    assert_eq!(figure(r, DataField::Revenue), Some(Some(21_000_000)));
    assert_eq!(figure(r, DataField::Energy), Some(Some(135_057)));
    assert_eq!(figure(r, DataField::Electricity), Some(Some(4_200_000)));
    assert_eq!(figure(r, DataField::Employees), Some(Some(186)));
    assert_eq!(figure(r, DataField::Rnd), Some(Some(7_300_000)));
    assert_eq!(
        figure(r, DataField::Tax),
        None,
        "no tax column: stays as stored"
    );
    assert_eq!(r.exempt.as_deref(), Some(""));
    assert_eq!(r.flags, Some(vec!["省级以上研发机构".to_string()]));

    // Row 5: 亿元 and 千瓦时 in cells; empty cells and "—" are not reported.
    let r = &result.rows[1].value;
    assert_eq!(r.district_code.as_deref(), Some("330503"));
    assert_eq!(r.above_scale, Some(false));
    assert_eq!((r.land_owned_x100, r.land_leased_x100), (Some(1250), None));
    assert_eq!(figure(r, DataField::ValueAdded), Some(Some(35_000_000)));
    assert_eq!(figure(r, DataField::Revenue), Some(None));
    assert_eq!(figure(r, DataField::Energy), Some(None));
    assert_eq!(figure(r, DataField::Electricity), Some(Some(35_000)));
    assert_eq!(figure(r, DataField::Rnd), Some(None));
    assert_eq!(r.exempt.as_deref(), Some("在建"));
    assert_eq!(r.flags, Some(vec![]));

    // Row 7: no district is fine here — whether the enterprise is new is the store's to say.
    assert_eq!(result.rows[2].value.credit_code.as_str(), GOOD_3);
    assert_eq!(result.rows[2].value.district_code, None);
    assert_eq!(result.rows.len(), 3);

    let at = |row: usize, col: &str| {
        result
            .errors
            .iter()
            .find(|e| e.row == row && e.column.starts_with(col))
            .unwrap_or_else(|| panic!("no error at {row}{col}: {:#?}", result.errors))
    };
    let e = at(6, "B");
    assert_eq!(e.sheet, "统计局数据");
    assert_eq!(e.column, "B（统一社会信用代码）");
    assert_eq!(e.value, "91330502MA2B00001X");
    assert!(e.message.contains("校验位不符（应为R）"), "{}", e.message);
    let dup = at(8, "B");
    assert!(dup.message.contains("与第4行"), "{}", dup.message);
    assert!(at(8, "D").message.contains("没有这个区县"));
    assert!(at(8, "F").message.contains("规上/规下"));
    assert!(at(8, "I").message.contains("一百"));
    assert!(at(8, "O").message.contains("在建"));
    assert_eq!(result.errors.len(), 6, "{:#?}", result.errors);
}

#[test]
fn the_tax_bureaus_sheet_has_code_name_and_tax_with_the_year_in_its_header() {
    let csv = "纳税人识别号,纳税人名称,2024年实缴税金（元）\n\
               91330502MA2B00001R,湖州甲精密机械有限公司,\"1,234,567.89\"\n\
               91330503MA2B00002B,湖州乙新材料有限公司,\n";
    let result = read(csv.as_bytes());
    assert!(result.errors.is_empty(), "{:#?}", result.errors);
    let r = &result.rows[0].value;
    assert_eq!(r.year, Some(2024));
    assert_eq!(
        r.figures,
        vec![(DataField::Tax, Some(1_234_568))],
        "to the yuan"
    );
    assert_eq!((r.district_code.as_ref(), r.exempt.as_ref()), (None, None));
    assert_eq!(r.flags, None);
    assert_eq!(result.rows[1].value.figures, vec![(DataField::Tax, None)]);

    // Figures without any year are a problem; a later year too.
    let no_year = read("统一社会信用代码,实缴税收（万元）\n91330502MA2B00001R,12\n".as_bytes());
    assert!(no_year.errors[0].message.contains("没有年度"));
    let later = read("统一社会信用代码,年度,实缴税收\n91330502MA2B00001R,2026年,12\n".as_bytes());
    assert!(
        later.errors[0].message.contains("未来年度"),
        "{:?}",
        later.errors
    );
    // The same code in two years is two rows, not a repeat.
    let years = read(
        "统一社会信用代码,年度,实缴税收\n91330502MA2B00001R,2023,10\n91330502MA2B00001R,2024,12\n"
            .as_bytes(),
    );
    assert!(years.errors.is_empty(), "{:?}", years.errors);
    assert_eq!(years.rows[1].value.year, Some(2024));
}

#[test]
fn land_in_square_metres_or_as_a_total_that_must_add_up() {
    // Who the enterprises are needs no year.
    let result = read(
        "统一社会信用代码,企业名称,用地面积（平方米）\n91330502MA2B00001R,甲,6666.67\n".as_bytes(),
    );
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let r = &result.rows[0].value;
    assert_eq!(
        (r.year, r.land_owned_x100, r.land_leased_x100),
        (None, Some(1000), Some(0))
    );
    let result = read(
        "统一社会信用代码,自有用地,租赁用地,用地面积\n\
         91330502MA2B00001R,30,,50\n91330503MA2B00002B,30,10,50\n"
            .as_bytes(),
    );
    assert_eq!(
        (
            result.rows[0].value.land_owned_x100,
            result.rows[0].value.land_leased_x100
        ),
        (Some(3000), Some(2000)),
        "the leased part is the total less the owned"
    );
    assert_eq!(result.errors.len(), 1);
    assert_eq!(result.errors[0].row, 3);
    assert!(result.errors[0].message.contains("之和不符"));
}

#[test]
fn the_template_reads_back_as_one_valid_row_with_every_column() {
    let result = read(&enterprise_template().unwrap());
    assert!(result.errors.is_empty(), "{:#?}", result.errors);
    assert_eq!(result.rows.len(), 1);
    assert_eq!(result.tables[0].mapping.len(), ENTERPRISE_FIELDS.len());
    let r = &result.rows[0].value;
    assert_eq!(r.figures.len(), 8);
    assert_eq!(figure(r, DataField::Tax), Some(Some(8_602_500)));
    assert_eq!(
        (r.land_owned_x100, r.land_leased_x100),
        (Some(4550), Some(450))
    );
}
