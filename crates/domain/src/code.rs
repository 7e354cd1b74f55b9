//! The national investment project code (项目代码, GB/T 40058-2021):
//! `YYYY-RRRRRR-II-TT-NNNNNN` — year, six-digit administrative region, two-digit industry,
//! two-digit type, six-digit serial. Optional on a project; when present it must be well formed.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProjectCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("项目代码应为“年份-地区码-行业码-类型码-流水号”，如 2024-330502-04-01-123456")]
    Shape,
    #[error("项目代码的年份 {0} 不在 2000—2099 之间")]
    Year(u32),
    #[error("项目代码的地区码 {0} 不是有效的行政区划代码")]
    Region(String),
}

impl ProjectCode {
    /// Accepts the dashed form or the 22 digits run together; full-width digits are normalised.
    pub fn parse(text: &str) -> Result<ProjectCode, CodeError> {
        let digits: String = text
            .trim()
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                '－' | '—' | '-' => Some('-'),
                c => Some(c),
            })
            .collect();
        let parts: Vec<&str> = if digits.contains('-') {
            digits.split('-').collect()
        } else if digits.len() == 20 {
            vec![
                &digits[0..4],
                &digits[4..10],
                &digits[10..12],
                &digits[12..14],
                &digits[14..20],
            ]
        } else {
            return Err(CodeError::Shape);
        };
        let lens = [4, 6, 2, 2, 6];
        if parts.len() != 5
            || parts
                .iter()
                .zip(lens)
                .any(|(p, l)| p.len() != l || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(CodeError::Shape);
        }
        let year: u32 = parts[0].parse().map_err(|_| CodeError::Shape)?;
        if !(2000..=2099).contains(&year) {
            return Err(CodeError::Year(year));
        }
        let province: u32 = parts[1][..2].parse().map_err(|_| CodeError::Shape)?;
        if !(11..=82).contains(&province) {
            return Err(CodeError::Region(parts[1].to_string()));
        }
        Ok(ProjectCode(parts.join("-")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_codes() {
        assert_eq!(
            ProjectCode::parse("2024-330502-04-01-123456")
                .unwrap()
                .as_str(),
            "2024-330502-04-01-123456"
        );
        assert_eq!(
            ProjectCode::parse("20243305020401123456").unwrap().as_str(),
            "2024-330502-04-01-123456"
        );
        assert_eq!(
            ProjectCode::parse("２０２４-330502-04-01-123456")
                .unwrap()
                .as_str(),
            "2024-330502-04-01-123456"
        );
    }

    #[test]
    fn rejects_malformed_codes() {
        assert_eq!(
            ProjectCode::parse("2024-33050-04-01-123456"),
            Err(CodeError::Shape)
        );
        assert_eq!(
            ProjectCode::parse("abcd-330502-04-01-123456"),
            Err(CodeError::Shape)
        );
        assert_eq!(
            ProjectCode::parse("1999-330502-04-01-123456"),
            Err(CodeError::Year(1999))
        );
        assert_eq!(
            ProjectCode::parse("2024-990502-04-01-123456"),
            Err(CodeError::Region("990502".into()))
        );
        assert_eq!(ProjectCode::parse(""), Err(CodeError::Shape));
    }
}
