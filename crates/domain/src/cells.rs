//! Cells as offices type them in their spreadsheets: dates in every common spelling (or as an
//! Excel serial), full-width digits and punctuation, units written in a header ("总投资（亿元）")
//! and rows that are not data (小计, 合计). The groundwork of the Excel import: each function
//! turns one cell or header into a value, or says in Chinese why it cannot.

use crate::money::{Currency, MoneyUnit};
use crate::progress::Month;
use chrono::NaiveDate;

/// Full-width ASCII (ＡＢＣ１２３，．) and the ideographic space as their ASCII forms, trimmed.
pub fn half_width(text: &str) -> String {
    // Trimming first trims the same: no character becomes or stops being white space.
    let text = text.trim();
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '。');
    // Most cells have nothing to convert: one copy, no per-character rebuilding.
    if text.is_ascii() || !text.contains(wide) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            c => c,
        })
        .collect()
}

/// A date cell: a day, or only a month when that is all the cell says ("2024.3").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCell {
    Day(NaiveDate),
    Month(Month),
}

impl DateCell {
    /// The day, taking a month-only cell as its first day.
    pub fn first_day(self) -> NaiveDate {
        match self {
            DateCell::Day(d) => d,
            DateCell::Month(m) => m.first_day(),
        }
    }

    pub fn month(self) -> Month {
        match self {
            DateCell::Day(d) => {
                use chrono::Datelike;
                Month {
                    year: d.year(),
                    month: d.month(),
                }
            }
            DateCell::Month(m) => m,
        }
    }
}

/// Excel's serial day 1 is 1900-01-01 and it counts a 1900-02-29 that never was, so from
/// serial 61 (1900-03-01) on, day N is 1899-12-30 + N.
fn from_excel_serial(serial: i64) -> Option<NaiveDate> {
    if !(61..=2_958_465).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

/// Reads 2024.3, 2024.3.5, 2024年3月, 2024年3月5日, 2024/3/5, 2024-03-15, 20240315 and Excel
/// serials (45366, also 45366.0 as a number cell becomes text); full-width digits are fine.
/// Years must be 2000–2100.
pub fn parse_date(text: &str) -> Result<DateCell, String> {
    let t = half_width(text);
    if t.is_empty() {
        return Err("日期不能为空".into());
    }
    let invalid = || {
        format!(
            "“{}”不是有效的日期，应写作 2024-03-15、2024.3.15 或 2024年3月15日",
            text.trim()
        )
    };
    // An Excel serial: digits only (a number cell may come as "45366.0"), not an 8-digit date.
    let serial_text = t.strip_suffix(".0").unwrap_or(&t);
    if serial_text.len() <= 7 && serial_text.chars().all(|c| c.is_ascii_digit()) {
        let serial: i64 = serial_text.parse().map_err(|_| invalid())?;
        return from_excel_serial(serial)
            .filter(|d| in_range(*d))
            .map(DateCell::Day)
            .ok_or_else(invalid);
    }
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&t, "%Y%m%d")
            .ok()
            .filter(|d| in_range(*d))
            .map(DateCell::Day)
            .ok_or_else(invalid);
    }
    let cleaned = t.trim_end_matches(['日', '号']);
    let parts: Vec<&str> = cleaned
        .split(['-', '.', '/', '年', '月'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let number = |s: &str| -> Option<u32> {
        (s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y, m] => {
            let (y, m) = (
                number(y).ok_or_else(invalid)?,
                number(m).ok_or_else(invalid)?,
            );
            Month::new(y as i32, m)
                .map(DateCell::Month)
                .ok_or_else(invalid)
        }
        [y, m, d] => {
            let (y, m, d) = (
                number(y).ok_or_else(invalid)?,
                number(m).ok_or_else(invalid)?,
                number(d).ok_or_else(invalid)?,
            );
            NaiveDate::from_ymd_opt(y as i32, m, d)
                .filter(|d| in_range(*d))
                .map(DateCell::Day)
                .ok_or_else(invalid)
        }
        _ => Err(invalid()),
    }
}

fn in_range(d: NaiveDate) -> bool {
    use chrono::Datelike;
    (2000..=2100).contains(&d.year())
}

/// The money unit a header states, in （）, () or 【】 or at its end: "总投资（亿元）",
/// "协议投资(万美元)", "到位资金 元". `None` when the header names no unit.
pub fn unit_in_header(header: &str) -> Option<(Currency, MoneyUnit)> {
    let h = half_width(header).replace(' ', "");
    // Longest first: 亿美元 before 亿元 before 元.
    const UNITS: [(&str, Currency, MoneyUnit); 8] = [
        ("亿美元", Currency::Usd, MoneyUnit::Yi),
        ("万美元", Currency::Usd, MoneyUnit::Wan),
        ("美元", Currency::Usd, MoneyUnit::Yuan),
        ("亿元", Currency::Cny, MoneyUnit::Yi),
        ("万元", Currency::Cny, MoneyUnit::Wan),
        ("亿", Currency::Cny, MoneyUnit::Yi),
        ("万", Currency::Cny, MoneyUnit::Wan),
        ("元", Currency::Cny, MoneyUnit::Yuan),
    ];
    let inside = ['(', '【', '[']
        .iter()
        .zip([')', '】', ']'])
        .find_map(|(open, close)| {
            let start = h.rfind(*open)?;
            let end = h[start..].find(close)? + start;
            Some(h[start + open.len_utf8()..end].to_string())
        });
    if let Some(text) = inside {
        // Inside brackets the unit is the whole text ("单位：万元" too).
        let unit_text = text.trim_start_matches("单位").trim_start_matches(':');
        if let Some((_, currency, unit)) = UNITS.iter().find(|(w, _, _)| *w == unit_text) {
            return Some((*currency, *unit));
        }
    }
    // Bare, only a unit of two or more characters ending a longer header ("总投资亿元"): a
    // lone 元 or 万 ends too many words (签约单元) to be read as a unit.
    UNITS
        .iter()
        .find(|(w, _, _)| w.chars().count() >= 2 && h.ends_with(w) && h.len() > w.len())
        .map(|(_, c, u)| (*c, *u))
}

/// Is this row a subtotal or total rather than data? Judged by its first non-empty cells:
/// 合计, 总计, 小计, 全市合计, "…小计", "其中：" headings.
pub fn is_total_row<S: AsRef<str>>(cells: &[S]) -> bool {
    cells
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| !c.trim().is_empty())
        .take(2)
        // Every word below has 计 or 其: other cells are not looked at closer.
        .filter(|c| c.contains(['计', '其']))
        .map(|c| half_width(c).replace(' ', ""))
        .any(|c| {
            c.ends_with("合计")
                || c.ends_with("总计")
                || c.ends_with("小计")
                || c == "其中"
                || c == "其中:"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> DateCell {
        DateCell::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_in_every_spelling_offices_use() {
        for (text, want) in [
            ("2024-03-15", day(2024, 3, 15)),
            ("2024/3/5", day(2024, 3, 5)),
            ("2024.3.5", day(2024, 3, 5)),
            ("2024年3月5日", day(2024, 3, 5)),
            ("2024年3月5号", day(2024, 3, 5)),
            ("２０２４年３月５日", day(2024, 3, 5)),
            ("20240315", day(2024, 3, 15)),
            (" 2024-3-15 ", day(2024, 3, 15)),
            ("45366", day(2024, 3, 15)),
            ("45366.0", day(2024, 3, 15)),
            (
                "2024.3",
                DateCell::Month(Month {
                    year: 2024,
                    month: 3,
                }),
            ),
            (
                "2024年3月",
                DateCell::Month(Month {
                    year: 2024,
                    month: 3,
                }),
            ),
            (
                "2024-12",
                DateCell::Month(Month {
                    year: 2024,
                    month: 12,
                }),
            ),
        ] {
            assert_eq!(parse_date(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn impossible_dates_are_refused_in_chinese() {
        for text in [
            "2024-02-30",
            "2024.13",
            "1999-12-31",
            "三月",
            "2024-03-15-01",
            "12",
            "abc",
        ] {
            let e = parse_date(text).unwrap_err();
            assert!(e.contains("不是有效的日期"), "{text}: {e}");
        }
        assert_eq!(parse_date("  ").unwrap_err(), "日期不能为空");
    }

    #[test]
    fn excel_serials_count_from_1899_12_30() {
        assert_eq!(from_excel_serial(61), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(
            from_excel_serial(36526),
            NaiveDate::from_ymd_opt(2000, 1, 1)
        );
        assert_eq!(from_excel_serial(60), None, "1900-02-29 never was");
    }

    #[test]
    fn a_day_cell_knows_its_month() {
        assert_eq!(
            day(2024, 3, 15).month(),
            Month {
                year: 2024,
                month: 3
            }
        );
        assert_eq!(
            DateCell::Month(Month {
                year: 2024,
                month: 3
            })
            .first_day(),
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        );
    }

    #[test]
    fn units_stated_in_headers() {
        use Currency::*;
        use MoneyUnit::*;
        for (header, want) in [
            ("总投资（亿元）", Some((Cny, Yi))),
            ("协议投资(万元)", Some((Cny, Wan))),
            ("协议投资（万美元）", Some((Usd, Wan))),
            ("外资（亿美元）", Some((Usd, Yi))),
            ("到位资金【元】", Some((Cny, Yuan))),
            ("年度计划投资（单位：万元）", Some((Cny, Wan))),
            ("总投资 亿元", Some((Cny, Yi))),
            ("总投资万元", Some((Cny, Wan))),
            ("项目名称", None),
            ("签约单元（个）", None),
            ("签约单元", None),
            ("总投资美元", Some((Usd, Yuan))),
            ("元", None),
        ] {
            assert_eq!(unit_in_header(header), want, "{header}");
        }
    }

    #[test]
    fn full_width_text_becomes_ascii() {
        assert_eq!(half_width("　ＡＢＣ１２３，４．５　"), "ABC123,4.5");
        assert_eq!(half_width("1。5"), "1.5");
        assert_eq!(half_width(" \tplain text\u{3000}"), "plain text");
        assert_eq!(half_width("吴兴区　织里镇"), "吴兴区 织里镇");
        assert_eq!(half_width("吴兴区"), "吴兴区");
    }

    #[test]
    fn totals_and_subtotals_are_not_data() {
        assert!(is_total_row(&["合计", "", "12000"]));
        assert!(is_total_row(&["", "吴兴区小计", "300"]));
        assert!(is_total_row(&["全市总计"]));
        assert!(is_total_row(&["1", "其中："]));
        assert!(!is_total_row(&["1", "年产10万台电机项目", "合计投资 3 亿"]));
        assert!(!is_total_row(&["", "", ""]));
    }

    proptest::proptest! {
        #[test]
        fn every_real_day_reads_back_in_each_spelling(y in 2000i32..=2100, m in 1u32..=12, d in 1u32..=31) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                for text in [
                    format!("{y}-{m:02}-{d:02}"),
                    format!("{y}.{m}.{d}"),
                    format!("{y}/{m}/{d}"),
                    format!("{y}年{m}月{d}日"),
                ] {
                    proptest::prop_assert_eq!(parse_date(&text), Ok(DateCell::Day(date)));
                }
            }
        }
    }
}

/// A record read from a sheet, with where it came from (for reporting problems found later,
/// e.g. by the store, against the row a person can find).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub sheet: String,
    /// Excel row number (1-based).
    pub row: usize,
    pub value: T,
    /// The fields the sheet has a column for: an update changes only these, so a column the
    /// sheet leaves out never blanks what is stored.
    pub columns: Vec<&'static str>,
}
