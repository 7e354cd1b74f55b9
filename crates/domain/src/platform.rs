//! Cooperation platforms and enclave parks (平台 / 飞地): what is typed about them, and the
//! enclave's agreed split of output and tax between the two regions against what arrived.

use crate::money::Yuan;
use crate::project::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlatformKind {
    /// 合作平台 (长合区, 上合区, 嘉湖一体化合作先行区 …).
    Platform,
    /// 飞地 (南庆产业飞地 …): run for a partner region, output and tax shared as agreed.
    Enclave,
}

impl PlatformKind {
    pub const ALL: [PlatformKind; 2] = [PlatformKind::Platform, PlatformKind::Enclave];

    pub fn code(self) -> &'static str {
        match self {
            PlatformKind::Platform => "platform",
            PlatformKind::Enclave => "enclave",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlatformKind::Platform => "合作平台",
            PlatformKind::Enclave => "飞地",
        }
    }

    pub fn parse(s: &str) -> Option<PlatformKind> {
        PlatformKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || k.label() == s.trim())
    }
}

/// The partner region's agreed share of an amount (per mille of it, rounded half up): what
/// should arrive there.
pub fn agreed_share(total: Yuan, share_permille: i64) -> Yuan {
    let v = i128::from(total.0) * i128::from(share_permille);
    Yuan(((v + 500) / 1000) as i64)
}

/// What arrived against what was agreed: (agreed, arrived, shortfall ≥ 0).
pub fn settlement(total: Yuan, share_permille: i64, arrived: Yuan) -> (Yuan, Yuan, Yuan) {
    let agreed = agreed_share(total, share_permille);
    (agreed, arrived, Yuan((agreed.0 - arrived.0).max(0)))
}

/// A platform or enclave as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlatformInput {
    pub name: String,
    /// platform or enclave (合作平台 / 飞地).
    pub kind: String,
    /// The district (code) it lies in.
    pub district_code: String,
    /// For an enclave: the region it is run for (丽水市庆元县); for a platform, its partners.
    pub partner_region: String,
    /// For an enclave: the partner's agreed share of output and of tax, percent ("50", "70.5").
    pub output_share_pct: String,
    pub tax_share_pct: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub name: String,
    pub kind: PlatformKind,
    pub district_code: String,
    pub partner_region: String,
    /// Per mille.
    pub output_share: Option<i64>,
    pub tax_share: Option<i64>,
}

/// A percentage as typed, in per mille: "70" → 700, "70.5" → 705; 0–100 only.
fn share(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let t = crate::cells::half_width(text)
        .trim()
        .trim_end_matches('%')
        .to_string();
    if t.is_empty() {
        return None;
    }
    match crate::money::decimal_to_scaled(&t, 10) {
        Ok(v) if (0..=1000).contains(&v) => Some(v),
        _ => {
            errors.push(FieldError {
                field: field.into(),
                message: format!("“{}”不是0至100之间的百分比（最多一位小数）", text.trim()),
            });
            None
        }
    }
}

impl PlatformInput {
    pub fn validate(&self) -> Result<Platform, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError {
                field: "name".into(),
                message: "请填写平台或飞地名称".into(),
            });
        }
        let kind = PlatformKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError {
                field: "kind".into(),
                message: "请选择类型（合作平台或飞地）".into(),
            });
        }
        if self.district_code.trim().is_empty() {
            errors.push(FieldError {
                field: "district_code".into(),
                message: "请选择所在区县".into(),
            });
        }
        let output_share = share("output_share_pct", &self.output_share_pct, &mut errors);
        let tax_share = share("tax_share_pct", &self.tax_share_pct, &mut errors);
        if kind == Some(PlatformKind::Enclave) && self.partner_region.trim().is_empty() {
            errors.push(FieldError {
                field: "partner_region".into(),
                message: "飞地须写明合作地区".into(),
            });
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Platform {
                name: self.name.trim().to_string(),
                kind,
                district_code: self.district_code.trim().to_string(),
                partner_region: self.partner_region.trim().to_string(),
                output_share,
                tax_share,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partners_share_is_exact_and_a_shortfall_never_negative() {
        let yi = |v: i64| Yuan(v * 100_000_000);
        assert_eq!(agreed_share(yi(2), 700), Yuan(140_000_000));
        assert_eq!(agreed_share(Yuan(3), 500), Yuan(2), "half a yuan rounds up");
        let (agreed, arrived, short) = settlement(yi(1), 700, Yuan(60_000_000));
        assert_eq!(
            (agreed.0, arrived.0, short.0),
            (70_000_000, 60_000_000, 10_000_000)
        );
        assert_eq!(settlement(yi(1), 700, yi(1)).2, Yuan(0));
    }

    #[test]
    fn an_enclave_needs_its_partner_and_shares_are_percentages() {
        let mut input = PlatformInput {
            name: "南庆产业飞地".into(),
            kind: "飞地".into(),
            district_code: "330502".into(),
            partner_region: String::new(),
            output_share_pct: "50".into(),
            tax_share_pct: "１２０".into(),
        };
        let errors = input.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tax_share_pct", "partner_region"]);
        input.partner_region = "丽水市庆元县".into();
        input.tax_share_pct = "70.5%".into();
        let p = input.validate().unwrap();
        assert_eq!((p.output_share, p.tax_share), (Some(500), Some(705)));
    }
}
