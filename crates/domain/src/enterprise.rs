//! An enterprise's row in the workbooks tax and statistics bureaus send for 亩均效益评价: who it
//! is (统一社会信用代码, name, district, 规上/规下, land) and what it reported for a year. Each
//! bureau sends only its own columns — the tax bureau code, name and tax; the statistics bureau
//! value added, revenue, energy, employees and R&D — so a record says exactly what its row
//! gives, and what it leaves out keeps what is stored.

use crate::cells::half_width;
use crate::credit_code::CreditCode;
use crate::mujun::DataField;

/// One row: the enterprise by its credit code, and what the row gives. `None` in an attribute:
/// the sheet has no such column or left the cell empty (the stored value stays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseRecord {
    pub credit_code: CreditCode,
    /// The year the figures are for; `None` when the sheet has neither figures nor 加减分项
    /// (a list of who the enterprises are).
    pub year: Option<i32>,
    pub name: Option<String>,
    pub district_code: Option<String>,
    pub industry: Option<String>,
    pub above_scale: Option<bool>,
    /// 亩, hundredths.
    pub land_owned_x100: Option<i64>,
    pub land_leased_x100: Option<i64>,
    /// 在建, 新办, 公用事业, or "" when the sheet's 免评原因 is empty (graded).
    pub exempt: Option<String>,
    /// The figures the sheet has a column for, each with its value — or `None` when the cell is
    /// empty: not reported, stored as missing (never a silent zero). Money in yuan, 能耗 and
    /// 排放当量 in hundredths, 用电量 in kWh, 从业人员 in persons. A figure not listed keeps
    /// what is stored.
    pub figures: Vec<(DataField, Option<i64>)>,
    /// The scheme's bonus and deduction items that apply, when the sheet has the column.
    pub flags: Option<Vec<String>>,
}

/// The exemption reasons an import accepts (as the schemes name them).
pub const EXEMPT_REASONS: [&str; 3] = ["在建", "新办", "公用事业"];

/// Words that say a cell has nothing in it.
fn says_none(t: &str) -> bool {
    matches!(t, "" | "无" | "/" | "-" | "—" | "——" | "－")
}

/// 免评原因 as written: 在建 (在建项目, 建设期), 新办 (新办企业, 新设立, 新投产), 公用事业
/// (公共事业); empty, 无 or 参评 means graded ("").
pub fn parse_exempt(text: &str) -> Result<String, String> {
    let t: String = half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if says_none(&t) || matches!(t.as_str(), "否" | "参评" | "不免评") {
        return Ok(String::new());
    }
    let reason = if t.contains("在建") || t.contains("建设期") {
        "在建"
    } else if t.contains("新办") || t.contains("新设") || t.contains("新投产") {
        "新办"
    } else if t.contains("公用") || t.contains("公共事业") {
        "公用事业"
    } else {
        return Err("免评原因应为“在建”“新办”或“公用事业”（参评企业请留空）".into());
    };
    Ok(reason.to_string())
}

/// 规上 or 规下 as written: 是/否 (in a 是否规上 column), 规上/规下, 规模以上/规模以下; empty is
/// `None`.
pub fn parse_scale(text: &str) -> Result<Option<bool>, String> {
    let t: String = half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if says_none(&t) {
        return Ok(None);
    }
    match t.as_str() {
        "是" | "Y" | "YES" | "1" | "√" => return Ok(Some(true)),
        "否" | "N" | "NO" | "0" | "×" => return Ok(Some(false)),
        _ => {}
    }
    if t.contains("规上") || t.contains("规模以上") {
        Ok(Some(true))
    } else if t.contains("规下") || t.contains("规模以下") || t.contains("小微") {
        Ok(Some(false))
    } else {
        Err("规上/规下应填“是”“否”“规上”或“规下”".into())
    }
}

/// 加减分项 as written, one cell: "省级以上研发机构、安全生产事故" (separated by 、，；or new
/// lines); 无 or empty is none.
pub fn split_flags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(['、', ',', '，', ';', '；', '\n', '\r']) {
        let p = part.trim().to_string();
        if !says_none(&half_width(&p)) && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// A non-negative decimal as typed ("1,234.5", "１２３４．５"), times `mult` and divided by
/// `div`, rounded half up to an integer — exactly, in integers (`read_quantity("1.5", 100, 1)`
/// is 150 hundredths; `read_quantity("1", 3, 20)` is 1 m² in hundredths of 亩, 0.15 → 0).
pub fn read_quantity(text: &str, mult: i64, div: i64) -> Result<i64, String> {
    let t: String = half_width(text)
        .chars()
        .filter(|c| !matches!(c, ',' | '，') && !c.is_whitespace())
        .collect();
    let invalid = || format!("“{}”不是有效的数", text.trim());
    if t.starts_with('-') {
        return Err("不能为负数".into());
    }
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return Err(invalid());
    }
    // Beyond 12 decimals nothing an office types is lost; i128 holds the rest exactly.
    let frac = &frac[..frac.len().min(12)];
    let too_large = || "数值过大".to_string();
    if int.trim_start_matches('0').len() > 18 {
        return Err(too_large());
    }
    let digits = format!("{int}{frac}");
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| invalid())?
    };
    let den = 10i128.pow(frac.len() as u32) * i128::from(div.max(1));
    let twice = mantissa
        .checked_mul(i128::from(mult) * 2)
        .ok_or_else(too_large)?;
    i64::try_from((twice + den) / (2 * den)).map_err(|_| too_large())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exemptions_and_scale_as_offices_write_them() {
        assert_eq!(parse_exempt("在建项目").unwrap(), "在建");
        assert_eq!(parse_exempt("新办企业").unwrap(), "新办");
        assert_eq!(parse_exempt("公共事业").unwrap(), "公用事业");
        assert_eq!(parse_exempt(" 无 ").unwrap(), "");
        assert_eq!(parse_exempt("").unwrap(), "");
        assert!(parse_exempt("关停").unwrap_err().contains("在建"));
        assert_eq!(parse_scale("是"), Ok(Some(true)));
        assert_eq!(parse_scale("规模以下"), Ok(Some(false)));
        assert_eq!(parse_scale("规上企业"), Ok(Some(true)));
        assert_eq!(parse_scale(""), Ok(None));
        assert!(parse_scale("大型").is_err());
        assert_eq!(
            split_flags("省级以上研发机构、安全生产事故；省级以上研发机构"),
            vec!["省级以上研发机构", "安全生产事故"]
        );
        assert!(split_flags("无").is_empty());
    }

    #[test]
    fn quantities_are_exact_and_rounded_half_up() {
        assert_eq!(read_quantity("1,234.5", 10_000, 1), Ok(12_345_000));
        assert_eq!(read_quantity("１２３４．５６７", 100, 1), Ok(123_457));
        assert_eq!(read_quantity("0.005", 100, 1), Ok(1));
        assert_eq!(read_quantity("0.004", 100, 1), Ok(0));
        assert_eq!(read_quantity("1000", 3, 20), Ok(150), "1000 m² is 1.5 亩");
        assert_eq!(read_quantity(".5", 1, 1), Ok(1));
        assert!(read_quantity("-1", 1, 1).unwrap_err().contains("负数"));
        assert!(read_quantity("一百", 1, 1).unwrap_err().contains("一百"));
        assert!(read_quantity("1e5", 1, 1).is_err());
        assert!(read_quantity("99999999999999999999", 1, 1).is_err());
        assert!(read_quantity("999999999999999999.999999999999", 100_000_000, 1).is_err());
    }
}
