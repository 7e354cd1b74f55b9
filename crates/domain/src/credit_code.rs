//! The 统一社会信用代码 (unified social credit code, GB 32100-2015) that identifies an
//! enterprise: 18 characters — registration authority, organisation type, the 6-digit
//! administrative division, the 9-character organisation code and a check character computed
//! over the first 17 with weights 3^i mod 31.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The 31 characters a code may use (no I, O, Z, S, V).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A code whose length, characters, division digits and check character are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn value(c: char) -> Option<u32> {
    CHARSET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters.
fn check_char(first17: &[char]) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    let v = (31 - sum % 31) % 31;
    CHARSET.chars().nth(v as usize)
}

impl CreditCode {
    /// Reads a code as typed: spaces dropped, full-width and lower-case letters accepted.
    pub fn parse(text: &str) -> Result<CreditCode, String> {
        let t: String = crate::cells::half_width(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let chars: Vec<char> = t.chars().collect();
        if chars.len() != 18 {
            return Err(format!(
                "统一社会信用代码应为18位，“{}”是{}位",
                text.trim(),
                chars.len()
            ));
        }
        if let Some(bad) = chars.iter().find(|c| value(**c).is_none()) {
            return Err(format!(
                "统一社会信用代码“{t}”含有不允许的字符“{bad}”（不使用I、O、Z、S、V）"
            ));
        }
        if !chars[2..8].iter().all(char::is_ascii_digit) {
            return Err(format!(
                "统一社会信用代码“{t}”的第3—8位应为行政区划代码（数字）"
            ));
        }
        let expected = check_char(&chars[..17]).expect("characters checked above");
        if chars[17] != expected {
            return Err(format!(
                "统一社会信用代码“{t}”的校验位不符（应为{expected}），请核对是否录入有误"
            ));
        }
        Ok(CreditCode(t))
    }

    /// The code completing 17 characters with their check character (for generated data);
    /// `None` when a character is not allowed or the division is not digits.
    pub fn complete(first17: &str) -> Option<CreditCode> {
        let chars: Vec<char> = first17.chars().collect();
        if chars.len() != 17 {
            return None;
        }
        let check = check_char(&chars)?;
        CreditCode::parse(&format!("{first17}{check}")).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division it was registered in (330502 …).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_codes_pass() {
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
        ] {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(
            CreditCode::complete("91350100M000100Y4").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert!(CreditCode::complete("91350100M000100I4").is_none());
        let spaced = CreditCode::parse(" ９１３５０１００ｍ０００１００ｙ４３ ").unwrap();
        assert_eq!(spaced.as_str(), "91350100M000100Y43");
        assert_eq!(spaced.division(), "350100");
    }

    #[test]
    fn known_invalid_codes_say_why() {
        let wrong_check = CreditCode::parse("91330000MA27XL0E2W").unwrap_err();
        assert!(wrong_check.contains("校验位不符（应为B）"), "{wrong_check}");
        assert!(CreditCode::parse("9135010").unwrap_err().contains("是7位"));
        assert!(
            CreditCode::parse("91350100M000100I43")
                .unwrap_err()
                .contains("不允许的字符“I”")
        );
        assert!(
            CreditCode::parse("913A0100M000100Y43")
                .unwrap_err()
                .contains("行政区划")
        );
    }

    proptest! {
        /// Any 17 valid characters with a numeric division, completed by their check
        /// character, parse; changing the check character never does.
        #[test]
        fn the_check_character_is_the_one_that_fits(
            head in "[0-9A-HJ-NP-RTUWXY]{2}",
            division in "[0-9]{6}",
            tail in "[0-9A-HJ-NP-RTUWXY]{9}",
            other in 0usize..31,
        ) {
            let first: Vec<char> = format!("{head}{division}{tail}").chars().collect();
            let check = check_char(&first).unwrap();
            let code: String = first.iter().chain(std::iter::once(&check)).collect();
            prop_assert!(CreditCode::parse(&code).is_ok());
            let wrong = CHARSET.chars().nth(other).unwrap();
            prop_assume!(wrong != check);
            let bad: String = first.iter().chain(std::iter::once(&wrong)).collect();
            prop_assert!(CreditCode::parse(&bad).is_err());
        }
    }
}
