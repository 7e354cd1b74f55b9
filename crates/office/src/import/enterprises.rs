//! 亩均效益评价 data from the workbooks tax and statistics bureaus send: one row an enterprise,
//! named by its 统一社会信用代码 (check character verified), with what the bureau reports for
//! the year — the tax bureau code, name and tax; the statistics bureau value added, revenue,
//! energy, employees and R&D. A column the sheet leaves out keeps what is stored; an empty cell
//! in a column it has is "not reported". The year is a column, the title's ("2024年度规上工业
//! 企业亩均效益评价数据"), or the figure columns' ("2024年实缴税收"). Units come from the header
//! or the cell, as elsewhere: 万元 or 元, 吨标煤, 万千瓦时 or 千瓦时, 亩 or 平方米.

use super::records::{period_in, read_all};
use super::vocab::{Dict, Vocab, money_unit};
use super::{Field, Remembered, SheetResult, Table};
use crate::book::{Book, Sheet};
use hezuo_domain::cells::half_width;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::enterprise::{
    EnterpriseRecord, parse_exempt, parse_scale, read_quantity, split_flags,
};
use hezuo_domain::money::{Currency, MoneyUnit};
use hezuo_domain::mujun::DataField;
use std::collections::HashMap;

macro_rules! field {
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?]) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: false }
    };
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?], required) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: true }
    };
}

/// The columns of an enterprise data sheet.
pub const ENTERPRISE_FIELDS: &[Field] = &[
    field!(
        "credit_code",
        "统一社会信用代码",
        [
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "纳税人识别号",
            "组织机构代码"
        ],
        required
    ),
    field!(
        "name",
        "企业名称",
        ["企业名称", "单位名称", "纳税人名称", "企业", "名称"]
    ),
    field!(
        "district_code",
        "所在区县",
        ["所在区县", "所属区县", "区县", "县区", "属地", "所在地"]
    ),
    field!(
        "industry",
        "行业",
        ["所属行业", "行业类别", "行业门类", "国民经济行业", "行业"]
    ),
    field!(
        "above_scale",
        "规上/规下",
        [
            "规上/规下",
            "规上规下",
            "是否规上",
            "是否规上企业",
            "企业规模",
            "规模"
        ]
    ),
    field!(
        "land_owned",
        "自有用地（亩）",
        [
            "自有用地面积",
            "自有用地",
            "自有土地面积",
            "自有土地",
            "出让用地"
        ]
    ),
    field!(
        "land_leased",
        "租赁用地（亩）",
        [
            "租赁用地面积",
            "租赁用地",
            "租赁土地",
            "租用土地",
            "承租用地"
        ]
    ),
    field!(
        "land_total",
        "用地面积（亩）",
        ["用地面积", "占地面积", "土地面积", "用地"]
    ),
    field!("year", "年度", ["评价年度", "数据年度", "年度", "年份"]),
    field!(
        "tax",
        "实缴税收（万元）",
        [
            "实缴税收",
            "实缴税金",
            "实缴税款",
            "实缴税额",
            "入库税收",
            "入库税金",
            "税收收入",
            "税收合计",
            "纳税总额",
            "税收",
            "税金"
        ]
    ),
    field!(
        "value_added",
        "工业增加值（万元）",
        ["工业增加值", "增加值"]
    ),
    field!(
        "revenue",
        "营业收入（万元）",
        ["营业收入", "营业总收入", "主营业务收入", "销售收入", "营收"]
    ),
    field!(
        "energy",
        "综合能耗（吨标煤）",
        ["综合能耗", "综合能源消费量", "能源消费量", "能耗", "用能量"]
    ),
    field!(
        "emission",
        "排放当量",
        [
            "主要污染物排放当量",
            "污染物排放当量",
            "排放当量",
            "排污当量",
            "排放量"
        ]
    ),
    field!(
        "electricity",
        "用电量（万千瓦时）",
        ["用电量", "总用电量", "工业用电量", "电量", "用电"]
    ),
    field!(
        "employees",
        "从业人员（人）",
        [
            "年平均从业人员",
            "从业人员",
            "从业人数",
            "职工人数",
            "员工人数",
            "用工人数"
        ]
    ),
    field!(
        "rnd",
        "研发经费（万元）",
        [
            "研发经费支出",
            "研发经费",
            "研发费用",
            "研发投入",
            "R&D经费",
            "研究与试验发展经费"
        ]
    ),
    field!(
        "exempt",
        "免评原因",
        ["免评原因", "不参评原因", "不定等级原因", "免评"]
    ),
    field!(
        "flags",
        "加减分项",
        [
            "加减分项",
            "加分减分项",
            "加扣分项",
            "加分项",
            "扣分项",
            "减分项"
        ]
    ),
];

/// A unit as written, with what a number in it is multiplied and divided by to be stored.
type Unit = (&'static str, i64, i64);

/// Money to yuan.
const MONEY: &[Unit] = &[
    ("亿元", 100_000_000, 1),
    ("万元", 10_000, 1),
    ("元", 1, 1),
    ("亿", 100_000_000, 1),
    ("万", 10_000, 1),
];
/// 综合能耗 to hundredths of 吨标煤.
const ENERGY: &[Unit] = &[
    ("万吨标准煤", 1_000_000, 1),
    ("万吨标煤", 1_000_000, 1),
    ("万吨", 1_000_000, 1),
    ("千克标准煤", 100, 1_000),
    ("千克标煤", 100, 1_000),
    ("千克", 100, 1_000),
    ("kgce", 100, 1_000),
    ("吨标准煤", 100, 1),
    ("吨标煤", 100, 1),
    ("tce", 100, 1),
    ("吨", 100, 1),
];
/// 排放当量 to hundredths (of 吨).
const EMISSION: &[Unit] = &[
    ("万吨", 1_000_000, 1),
    ("千克", 100, 1_000),
    ("公斤", 100, 1_000),
    ("吨", 100, 1),
];
/// 用电量 to kWh.
const ELECTRICITY: &[Unit] = &[
    ("亿千瓦时", 100_000_000, 1),
    ("万千瓦时", 10_000, 1),
    ("万kwh", 10_000, 1),
    ("万度", 10_000, 1),
    ("千瓦时", 1, 1),
    ("kwh", 1, 1),
    ("度", 1, 1),
];
/// 从业人员 to persons.
const PERSONS: &[Unit] = &[("人", 1, 1)];
/// Land to hundredths of 亩 (1 亩 = 10000/15 m², 1 公顷 = 15 亩).
const LAND: &[Unit] = &[
    ("万平方米", 1_500, 1),
    ("平方米", 3, 20),
    ("平米", 3, 20),
    ("㎡", 3, 20),
    ("m2", 3, 20),
    ("公顷", 1_500, 1),
    ("亩", 100, 1),
];

/// How a column's numbers are read: money (the engine's units: header, a note above the
/// table, the cell; 万元 when none is stated), or in one of `units`, `default` when none is.
#[derive(Debug, Clone, Copy)]
enum Measure {
    Money,
    Units(&'static [Unit], (i64, i64)),
}

/// The year figures and their columns.
const FIGURES: [(DataField, &str, Measure); 8] = [
    (DataField::Tax, "tax", Measure::Money),
    (DataField::ValueAdded, "value_added", Measure::Money),
    (DataField::Revenue, "revenue", Measure::Money),
    (
        DataField::Energy,
        "energy",
        Measure::Units(ENERGY, (100, 1)),
    ),
    (
        DataField::Emission,
        "emission",
        Measure::Units(EMISSION, (100, 1)),
    ),
    (
        DataField::Electricity,
        "electricity",
        Measure::Units(ELECTRICITY, (10_000, 1)),
    ),
    (
        DataField::Employees,
        "employees",
        Measure::Units(PERSONS, (1, 1)),
    ),
    (DataField::Rnd, "rnd", Measure::Money),
];

/// The unit a text ends with (a header's bracketed unit, or a cell's), and the text before it.
fn split_unit<'a>(text: &'a str, units: &[Unit]) -> Option<(&'a str, i64, i64)> {
    let lower = text.to_lowercase();
    units.iter().find_map(|(w, m, d)| {
        (lower.ends_with(w) && lower.len() == text.len())
            .then(|| (&text[..text.len() - w.len()], *m, *d))
    })
}

/// The unit a column's header states ("用电量（万千瓦时）", "用地面积 平方米"), if any.
fn header_unit(header: &str, units: &[Unit]) -> Option<(i64, i64)> {
    let h: String = half_width(header)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let inside = h
        .rfind(['(', '（', '【', '['])
        .map(|start| {
            h[start..]
                .trim_start_matches(['(', '（', '【', '['])
                .trim_end_matches([')', '）', '】', ']'])
                .trim_start_matches("单位")
                .trim_start_matches([':', '：'])
                .to_string()
        })
        .unwrap_or(h);
    split_unit(&inside, units).map(|(_, m, d)| (m, d))
}

/// The units a cell may state, and what the column's numbers are multiplied and divided by
/// when the cell states none.
fn column_unit(
    table: &Table,
    col: usize,
    measure: Measure,
) -> Result<(&'static [Unit], (i64, i64)), String> {
    match measure {
        Measure::Money => match money_unit(table, col) {
            (Currency::Cny, MoneyUnit::Yuan) => Ok((MONEY, (1, 1))),
            (Currency::Cny, MoneyUnit::Wan) => Ok((MONEY, (10_000, 1))),
            (Currency::Cny, MoneyUnit::Yi) => Ok((MONEY, (100_000_000, 1))),
            _ => Err("请以人民币填写".into()),
        },
        Measure::Units(units, default) => Ok((
            units,
            header_unit(&table.headers[col], units).unwrap_or(default),
        )),
    }
}

/// Cells that say "not reported".
fn not_reported(t: &str) -> bool {
    matches!(
        t,
        "" | "/" | "-" | "—" | "——" | "－" | "无" | "未报" | "未报送"
    )
}

/// A quantity cell in its column: `Ok(None)` when not reported; a unit in the cell wins.
fn quantity(
    table: &Table,
    col: usize,
    cell: &str,
    measure: Measure,
) -> Result<Option<i64>, String> {
    let t: String = half_width(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if not_reported(&t) {
        return Ok(None);
    }
    if t.ends_with("美元") {
        return Err("请以人民币填写".into());
    }
    let (units, (m, d)) = column_unit(table, col, measure)?;
    let (number, m, d) = split_unit(&t, units).unwrap_or((t.as_str(), m, d));
    read_quantity(number, m, d).map(Some)
}

/// A year as a cell holds it: 2024, 2024年, 2024年度.
fn year_cell(text: &str) -> Option<i32> {
    let t = half_width(text);
    t.trim_end_matches("年度")
        .trim_end_matches('年')
        .trim_end_matches(".0")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

/// Reads every enterprise data table in the book; `current_year` bounds the year (data for a
/// later year is refused).
pub fn read_enterprises(
    book: &Book,
    vocab: &Vocab,
    remembered: &Remembered,
    current_year: i32,
) -> SheetResult<EnterpriseRecord> {
    // (credit code, year) → where it was first seen.
    let mut seen: HashMap<(String, Option<i32>), (String, usize)> = HashMap::new();
    read_all(
        book,
        ENTERPRISE_FIELDS,
        vocab,
        remembered,
        |_| None,
        |sheet, table, r, (title_year, _), names, bad| {
            let col = |key: &str| table.mapping.get(key).copied();
            let raw = |key: &str| col(key).map_or("", |c| sheet.cell(r, c));
            let text = |key: &str| half_width(raw(key)).trim().to_string();
            let given = |key: &str| Some(raw(key).trim().to_string()).filter(|t| !t.is_empty());

            let code = match text("credit_code") {
                t if t.is_empty() => {
                    bad.push((
                        "credit_code".into(),
                        String::new(),
                        "请填写统一社会信用代码".into(),
                    ));
                    None
                }
                t => match CreditCode::parse(&t) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        bad.push(("credit_code".into(), raw("credit_code").trim().into(), e));
                        None
                    }
                },
            };
            let district_code = given("district_code").and_then(|d| {
                let found = names.find(Dict::District, &half_width(&d)).map(|(c, _)| c);
                if found.is_none() {
                    bad.push(("district_code".into(), d, "系统中没有这个区县".into()));
                }
                found
            });
            let above_scale = parse_scale(raw("above_scale")).unwrap_or_else(|e| {
                bad.push(("above_scale".into(), text("above_scale"), e));
                None
            });
            let exempt = col("exempt").and_then(|_| {
                parse_exempt(raw("exempt"))
                    .map_err(|e| bad.push(("exempt".into(), text("exempt"), e)))
                    .ok()
            });
            let flags = col("flags").map(|_| split_flags(raw("flags")));

            let (land_owned, land_leased) = land(sheet, table, r, bad);

            let mut figures = Vec::new();
            for (field, key, measure) in FIGURES {
                let Some(c) = col(key) else { continue };
                match quantity(table, c, sheet.cell(r, c), measure) {
                    Ok(v) => figures.push((field, v)),
                    Err(e) => bad.push((key.into(), text(key), e)),
                }
            }

            // Figures and 加减分项 are a year's; who the enterprises are is not.
            let needs_year = flags.is_some() || FIGURES.iter().any(|f| col(f.1).is_some());
            let year = match text("year") {
                t if t.is_empty() => title_year.or_else(|| {
                    let headers: Vec<&str> = FIGURES
                        .iter()
                        .filter_map(|f| col(f.1))
                        .map(|c| table.headers[c].as_str())
                        .collect();
                    period_in(&headers).0
                }),
                t => {
                    let y = year_cell(&t);
                    if y.is_none() {
                        bad.push(("year".into(), t, "年度应写作 2024 或 2024年".into()));
                    }
                    y
                }
            };
            match year {
                Some(y) if y > current_year => bad.push((
                    "year".into(),
                    text("year"),
                    format!("不能导入未来年度（{y}年）的数据"),
                )),
                None if needs_year && text("year").is_empty() => bad.push((
                    "year".into(),
                    String::new(),
                    "没有年度：请加一列“年度”，或在标题中写明，如“2024年度亩均效益评价数据”".into(),
                )),
                _ => {}
            }

            let code = code?;
            let key = (code.as_str().to_string(), year);
            if let Some((first_sheet, first_row)) = seen.get(&key) {
                let at = if *first_sheet == sheet.name {
                    format!("第{first_row}行")
                } else {
                    format!("工作表“{first_sheet}”第{first_row}行")
                };
                bad.push((
                    "credit_code".into(),
                    code.as_str().into(),
                    format!("与{at}的统一社会信用代码相同（同一企业同一年度只能有一行）"),
                ));
            } else {
                seen.insert(key, (sheet.name.clone(), r + 1));
            }
            Some(EnterpriseRecord {
                credit_code: code,
                year,
                name: given("name"),
                district_code,
                industry: given("industry"),
                above_scale,
                land_owned_x100: land_owned,
                land_leased_x100: land_leased,
                exempt,
                figures,
                flags,
            })
        },
    )
}

/// The land a row states, owned and leased, in hundredths of 亩: the two columns, or a single
/// 用地面积 (all owned); with both, a missing part is the total less the other, and parts that
/// do not add up to the total are a problem.
fn land(
    sheet: &Sheet,
    table: &Table,
    r: usize,
    bad: &mut Vec<(String, String, String)>,
) -> (Option<i64>, Option<i64>) {
    let mut read = |key: &str| {
        let c = *table.mapping.get(key)?;
        let cell = sheet.cell(r, c);
        quantity(table, c, cell, Measure::Units(LAND, (100, 1)))
            .map_err(|e| bad.push((key.into(), half_width(cell), e)))
            .ok()
            .flatten()
    };
    let (owned, leased, total) = (read("land_owned"), read("land_leased"), read("land_total"));
    let Some(total) = total else {
        return (owned, leased);
    };
    let mut short = |part: i64| {
        if part > total {
            bad.push((
                "land_total".into(),
                half_width(sheet.cell(r, table.mapping["land_total"])),
                "用地面积小于自有用地与租赁用地之和".into(),
            ));
        }
        total - part
    };
    match (owned, leased) {
        (None, None) => (Some(total), Some(0)),
        (Some(o), None) => (Some(o), Some(short(o))),
        (None, Some(l)) => (Some(short(l)), Some(l)),
        (Some(o), Some(l)) => {
            if o + l != total {
                bad.push((
                    "land_total".into(),
                    half_width(sheet.cell(r, table.mapping["land_total"])),
                    "用地面积与自有用地、租赁用地之和不符".into(),
                ));
            }
            (Some(o), Some(l))
        }
    }
}

/// The import template: the columns in order, an example row, and what each column takes.
pub fn enterprise_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = ENTERPRISE_FIELDS
        .iter()
        .map(|f| match f.key {
            "credit_code" => "91330502MA2B00001R",
            "name" => "湖州示例精密机械有限公司",
            "district_code" => "吴兴区",
            "industry" => "通用设备制造业",
            "above_scale" => "规上",
            "land_owned" => "45.5",
            "land_leased" => "4.5",
            "land_total" => "50",
            "year" => "2024",
            "tax" => "860.25",
            "value_added" => "5200",
            "revenue" => "21000",
            "energy" => "1350.6",
            "emission" => "12.8",
            "electricity" => "420",
            "employees" => "186",
            "rnd" => "730",
            "exempt" => "",
            "flags" => "省级以上研发机构",
            _ => "",
        })
        .collect();
    super::template(
        "亩均企业数据导入模板（第3行为示例，请替换；带 * 的列必填）",
        ENTERPRISE_FIELDS,
        &example,
        &[
            (
                "统一社会信用代码*",
                "18位，按 GB 32100 核对校验位；按代码匹配已登记的企业，同一企业同一年度只能有一行",
            ),
            (
                "企业名称、所在区县",
                "系统中还没有的企业必填（将新登记）；已登记的企业可不填，填写则更新",
            ),
            ("规上/规下", "是/否、规上/规下；新登记的企业不填时按规上"),
            (
                "用地",
                "自有用地、租赁用地（亩，也可注明平方米、公顷），或只填一列“用地面积”（按自有用地）",
            ),
            (
                "年度",
                "如 2024；不填时取标题中的年份（“2024年度亩均效益评价数据”）",
            ),
            (
                "实缴税收、工业增加值、营业收入、研发经费",
                "默认万元；列名或单元格可注明单位（元、万元、亿元），不足1元的四舍五入",
            ),
            (
                "综合能耗、排放当量",
                "吨标煤、吨，保留两位小数（多余的四舍五入）；列名可注明万吨标煤",
            ),
            ("用电量", "默认万千瓦时；列名或单元格可注明千瓦时（度）"),
            (
                "只填部分列",
                "文件中没有的列保持系统中原有数据不变（如税务局数据只有税收）；列中留空（或填“—”）表示未报送，为零请填 0",
            ),
            ("免评原因", "在建、新办或公用事业；参评企业留空"),
            (
                "加减分项",
                "评价方案中的加分、扣分项名称，多项用顿号分隔；留空表示没有",
            ),
            ("合计、小计、空行、备注", "会被识别并跳过，可以保留"),
        ],
    )
}

#[cfg(test)]
mod tests;
