//! 对口工作 indicators from the tables offices keep: one row an indicator of a programme — its
//! type (援疆, 东西部协作 …), partner region, the indicator with its unit, the province's target
//! and what was done — with the year and the month the figures stand at as columns or, as
//! usual, in the title ("2024年1—11月对口工作主要指标完成情况").

use super::records::{period_in, read_all};
use super::vocab::Vocab;
use super::{Field, Remembered, SheetResult};
use crate::book::Book;
use hezuo_domain::Month;
use hezuo_domain::assistance::{IndicatorRecord, ProgrammeKind, parse_amount};
use hezuo_domain::cells::half_width;

macro_rules! field {
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?]) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: false }
    };
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?], required) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: true }
    };
}

/// The columns of an indicator table.
pub const ASSISTANCE_FIELDS: &[Field] = &[
    field!(
        "kind",
        "工作类型",
        ["工作类型", "对口类型", "类型", "类别"],
        required
    ),
    field!(
        "partner_region",
        "结对地区",
        ["结对地区", "帮扶地区", "对口地区", "合作地区", "地区"],
        required
    ),
    field!("year", "年度", ["年度", "年份"]),
    field!("month", "统计月份", ["统计月份", "截至月份", "月份"]),
    field!("name", "指标", ["指标名称", "指标", "项目"], required),
    field!("unit", "单位", ["计量单位", "单位"], required),
    field!(
        "target",
        "省定目标",
        ["省定目标", "目标任务", "年度目标", "目标"],
        required
    ),
    field!(
        "actual",
        "完成",
        ["累计完成", "完成情况", "完成数", "完成"],
        required
    ),
];

/// A type as written: 援疆, 对口支援（援疆）, 东西部协作, 山海协作, 浙吉合作 / 省际合作.
fn kind_of(text: &str) -> Option<ProgrammeKind> {
    let t = half_width(text);
    ProgrammeKind::parse(&t).or_else(|| {
        if t.contains("疆") {
            Some(ProgrammeKind::AidXinjiang)
        } else if t.contains("青") {
            Some(ProgrammeKind::AidQinghai)
        } else if t.contains("东西部") {
            Some(ProgrammeKind::EastWest)
        } else if t.contains("山海") {
            Some(ProgrammeKind::MountainSea)
        } else if t.contains("省际") || t.contains("浙吉") {
            Some(ProgrammeKind::Interprovincial)
        } else {
            None
        }
    })
}

/// Reads every indicator table in the book; `current` is the month now (a later one is refused).
pub fn read_assistance(
    book: &Book,
    vocab: &Vocab,
    remembered: &Remembered,
    current: Month,
) -> SheetResult<IndicatorRecord> {
    read_all(
        book,
        ASSISTANCE_FIELDS,
        vocab,
        remembered,
        |_| None,
        |sheet, table, r, (title_year, title_month), _, bad| {
            let text = |key: &str| {
                table.mapping.get(key).map_or(String::new(), |c| {
                    half_width(sheet.cell(r, *c)).trim().to_string()
                })
            };
            let kind = kind_of(&text("kind"));
            if kind.is_none() {
                bad.push((
                    "kind".into(),
                    text("kind"),
                    "看不出工作类型，请写援疆、援青、东西部协作、山海协作或省际合作".into(),
                ));
            }
            let region = text("partner_region");
            if region.is_empty() {
                bad.push((
                    "partner_region".into(),
                    String::new(),
                    "请填写结对地区".into(),
                ));
            }
            let year = match text("year") {
                y if y.is_empty() => title_year,
                y => y
                    .trim_end_matches("年度")
                    .trim_end_matches('年')
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y)),
            };
            let Some(year) = year else {
                bad.push((
                    "year".into(),
                    text("year"),
                    "没有年度：请加一列“年度”，或在标题中写明，如“2024年对口工作指标完成情况”"
                        .into(),
                ));
                return None;
            };
            let month_text = text("month");
            let month = if month_text.is_empty() {
                Month::new(year, title_month.unwrap_or(12))
            } else {
                let (_, m) = period_in(&[&format!("{month_text}月")]);
                m.and_then(|m| Month::new(year, m))
                    .or_else(|| Month::parse(&month_text))
            };
            let as_of = match month {
                Some(m) if m > current => {
                    bad.push((
                        "month".into(),
                        month_text.clone(),
                        "不能填报未来月份".into(),
                    ));
                    None
                }
                Some(m) => Some(m),
                None => {
                    bad.push((
                        "month".into(),
                        month_text.clone(),
                        "看不出统计月份，请写成 11 或 2024-11".into(),
                    ));
                    None
                }
            };
            let name = text("name");
            if name.is_empty() {
                bad.push(("name".into(), String::new(), "请填写指标名称".into()));
            }
            let unit = text("unit");
            if unit.is_empty() {
                bad.push(("unit".into(), String::new(), "请填写单位".into()));
            }
            let mut number = |key: &str, label: &str| {
                let t = text(key);
                let v = parse_amount(&t);
                if v.is_none() {
                    bad.push((
                        key.into(),
                        t.clone(),
                        format!("{label}应为不小于0的数（最多两位小数）"),
                    ));
                }
                v
            };
            let target = number("target", "省定目标");
            let actual = number("actual", "完成");
            Some(IndicatorRecord {
                year,
                kind: kind?,
                partner_region: region,
                name,
                unit,
                target_x100: target?,
                actual_x100: actual?,
                as_of: as_of?,
            })
        },
    )
}

/// The import template: the columns in order, an example row, and what each column takes.
pub fn assistance_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = ASSISTANCE_FIELDS
        .iter()
        .map(|f| match f.key {
            "kind" => "援疆",
            "partner_region" => "新疆阿克苏地区柯坪县",
            "year" => "2024",
            "month" => "11",
            "name" => "财政援助资金",
            "unit" => "万元",
            "target" => "11000",
            "actual" => "10850",
            _ => "",
        })
        .collect();
    super::template(
        "对口工作指标导入模板（第3行为示例，请替换；带 * 的列必填）",
        ASSISTANCE_FIELDS,
        &example,
        &[
            (
                "工作类型*",
                "援疆、援青、东西部协作、山海协作、省际合作（浙吉合作）",
            ),
            (
                "结对地区*",
                "同一年度、类型和结对地区为同一项工作；系统中没有的将新建",
            ),
            ("年度", "不填时取标题中的年份"),
            (
                "统计月份",
                "完成数截至的月份；不填时取标题中的月份，再不然为12月",
            ),
            (
                "省定目标*",
                "最多两位小数；再次导入同一指标时更新目标和完成数",
            ),
        ],
    )
}
