//! Exact money. Amounts are integer yuan (`Yuan`); nothing here touches a float.
//!
//! Offices write money in 万元 or 亿元 with decimals ("8000", "1.2亿元"); parsing turns that
//! text into whole yuan exactly, and formatting writes it back the way a bulletin does.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whole yuan (元). 1万元 = 10_000, 1亿元 = 100_000_000.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Yuan(pub i64);

pub const WAN: i64 = 10_000;
pub const YI: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额不能为空")]
    Empty,
    #[error("“{0}”不是有效的金额")]
    Invalid(String),
    #[error("金额不能为负数")]
    Negative,
    #[error("金额过大")]
    TooLarge,
    #[error("金额最多精确到元")]
    TooPrecise,
}

/// Unit a figure is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    Yuan,
    Wan,
    Yi,
}

impl MoneyUnit {
    fn factor(self) -> i64 {
        match self {
            MoneyUnit::Yuan => 1,
            MoneyUnit::Wan => WAN,
            MoneyUnit::Yi => YI,
        }
    }
}

/// Parses a non-negative decimal written in `unit` into an exact integer count of
/// `unit / 10^scale_out`, i.e. `decimal_to_scaled("1.25", 10_000) == 12_500`.
/// Full-width digits and separators are accepted; more precision than the target holds is an error.
pub fn decimal_to_scaled(text: &str, factor: i64) -> Result<i64, MoneyError> {
    let normalized: String = text
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            ',' | '，' | ' ' | '\u{3000}' => None,
            c => Some(c),
        })
        .collect();
    if normalized.is_empty() {
        return Err(MoneyError::Empty);
    }
    if normalized.starts_with('-') {
        return Err(MoneyError::Negative);
    }
    let (int_part, frac_part) = match normalized.split_once('.') {
        Some((i, f)) => (i, f),
        None => (normalized.as_str(), ""),
    };
    let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !digits_ok(int_part)
        || !digits_ok(frac_part)
    {
        return Err(MoneyError::Invalid(text.trim().to_string()));
    }
    let int: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| MoneyError::TooLarge)?
    };
    let mut result = int.checked_mul(factor).ok_or(MoneyError::TooLarge)?;
    let mut place = factor;
    for c in frac_part.chars() {
        let d = i64::from(c as u8 - b'0');
        if place % 10 != 0 {
            if d != 0 {
                return Err(MoneyError::TooPrecise);
            }
            continue;
        }
        place /= 10;
        result = result.checked_add(d * place).ok_or(MoneyError::TooLarge)?;
    }
    Ok(result)
}

impl Yuan {
    pub const ZERO: Yuan = Yuan(0);

    pub fn from_wan(wan: i64) -> Yuan {
        Yuan(wan * WAN)
    }

    pub fn from_yi(yi: i64) -> Yuan {
        Yuan(yi * YI)
    }

    /// Parses text in the given unit; a unit written in the text ("8000万元", "1.2亿元", "300元")
    /// wins over the default.
    pub fn parse(text: &str, default_unit: MoneyUnit) -> Result<Yuan, MoneyError> {
        let t = text.trim();
        let (number, unit) =
            if let Some(n) = t.strip_suffix("亿元").or_else(|| t.strip_suffix('亿')) {
                (n, MoneyUnit::Yi)
            } else if let Some(n) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
                (n, MoneyUnit::Wan)
            } else if let Some(n) = t.strip_suffix('元') {
                (n, MoneyUnit::Yuan)
            } else {
                (t, default_unit)
            };
        decimal_to_scaled(number, unit.factor()).map(Yuan)
    }

    /// Parses a figure typed in 万元 (the unit of every form field).
    pub fn parse_wan(text: &str) -> Result<Yuan, MoneyError> {
        Yuan::parse(text, MoneyUnit::Wan)
    }

    /// The amount in 万元 as exact decimal text without trailing zeros ("12345.6").
    pub fn wan_text(self) -> String {
        scaled_text(self.0, WAN, 4)
    }

    /// The amount in 亿元 with up to `places` decimals, rounded half up, no trailing zeros.
    pub fn yi_text(self, places: u32) -> String {
        let unit = 10i64.pow(places);
        let scaled =
            (i128::from(self.0) * i128::from(unit) * 2 + i128::from(YI)) / (2 * i128::from(YI));
        scaled_text(scaled as i64, unit, places)
    }

    pub fn checked_add(self, other: Yuan) -> Option<Yuan> {
        self.0.checked_add(other.0).map(Yuan)
    }
}

/// `value / factor` as decimal text with at most `places` decimals and no trailing zeros.
fn scaled_text(value: i64, factor: i64, places: u32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let v = value.unsigned_abs();
    let f = factor.unsigned_abs();
    let int = v / f;
    let frac = v % f;
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{:0width$}", frac, width = places as usize);
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

impl fmt::Display for Yuan {
    /// The bulletin form: ≥ 1亿 as "X.XX亿元" (up to two decimals, no trailing zeros), else "X万元".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.abs() >= YI {
            write!(f, "{}亿元", self.yi_text(2))
        } else {
            // Below 1亿 the office writes whole 万元 (rounded half up).
            let wan = (self.0 * 2 + WAN * self.0.signum()) / (2 * WAN);
            write!(f, "{wan}万元")
        }
    }
}

impl std::iter::Sum for Yuan {
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Yuan {
        Yuan(iter.map(|y| y.0).sum())
    }
}

/// Currency an agreement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Currency {
    #[default]
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Currency::Cny => "人民币",
            Currency::Usd => "美元",
        }
    }
    pub fn parse(s: &str) -> Option<Currency> {
        match s.trim() {
            "CNY" | "cny" | "人民币" | "" => Some(Currency::Cny),
            "USD" | "usd" | "美元" => Some(Currency::Usd),
            _ => None,
        }
    }
}

/// A USD→CNY rate with four decimals, stored as ten-thousandths (7.1884 → 71884).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsdRate(pub i64);

impl UsdRate {
    pub fn parse(text: &str) -> Result<UsdRate, MoneyError> {
        let r = decimal_to_scaled(text, 10_000)?;
        if r == 0 {
            return Err(MoneyError::Invalid(text.trim().to_string()));
        }
        Ok(UsdRate(r))
    }

    pub fn text(self) -> String {
        scaled_text(self.0, 10_000, 4)
    }

    /// Converts whole-yuan-sized USD units (an amount in US dollars, exact) to yuan, rounded half up.
    pub fn to_cny(self, usd: Yuan) -> Yuan {
        let v = i128::from(usd.0) * i128::from(self.0);
        Yuan(((v * 2 + 10_000) / 20_000) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wan_exactly() {
        assert_eq!(Yuan::parse_wan("8000").unwrap(), Yuan(80_000_000));
        assert_eq!(Yuan::parse_wan("0.0001").unwrap(), Yuan(1));
        assert_eq!(Yuan::parse_wan("１２．５").unwrap(), Yuan(125_000));
        assert_eq!(Yuan::parse_wan("1,234.5").unwrap(), Yuan(12_345_000));
        assert_eq!(Yuan::parse_wan("0.00001"), Err(MoneyError::TooPrecise));
        assert_eq!(Yuan::parse_wan("-3"), Err(MoneyError::Negative));
        assert_eq!(Yuan::parse_wan(""), Err(MoneyError::Empty));
        assert!(matches!(
            Yuan::parse_wan("abc"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(
            Yuan::parse_wan("1.2.3"),
            Err(MoneyError::Invalid(_))
        ));
    }

    #[test]
    fn unit_written_in_the_cell_wins() {
        assert_eq!(
            Yuan::parse("1.2亿元", MoneyUnit::Wan).unwrap(),
            Yuan(120_000_000)
        );
        assert_eq!(
            Yuan::parse("8000万元", MoneyUnit::Yi).unwrap(),
            Yuan(80_000_000)
        );
        assert_eq!(Yuan::parse("300元", MoneyUnit::Wan).unwrap(), Yuan(300));
    }

    #[test]
    fn formats_like_a_bulletin() {
        assert_eq!(Yuan::from_yi(241).to_string(), "241亿元");
        assert_eq!(Yuan(67_520_000_000).to_string(), "675.2亿元");
        assert_eq!(Yuan(110_000_000).to_string(), "1.1亿元");
        assert_eq!(Yuan(123_456_789).to_string(), "1.23亿元");
        assert_eq!(Yuan(100_000_000).to_string(), "1亿元");
        assert_eq!(Yuan(99_990_000).to_string(), "9999万元");
        assert_eq!(Yuan(5_000).to_string(), "1万元");
        assert_eq!(Yuan(0).to_string(), "0万元");
    }

    #[test]
    fn wan_text_round_trips() {
        for s in ["0", "1", "12345.6", "0.0001", "99999999"] {
            assert_eq!(Yuan::parse_wan(s).unwrap().wan_text(), s);
        }
    }

    #[test]
    fn usd_converts_at_the_dated_rate() {
        let rate = UsdRate::parse("7.1884").unwrap();
        assert_eq!(rate.text(), "7.1884");
        assert_eq!(rate.to_cny(Yuan(100_000_000)), Yuan(718_840_000));
        assert_eq!(rate.to_cny(Yuan(1)), Yuan(7));
        assert!(UsdRate::parse("0").is_err());
    }
}
