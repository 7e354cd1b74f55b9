//! Investment tiers (亿元以上, 5亿元以上 …). Thresholds are configuration, not code: the
//! office may add or drop a tier, and counting is always cumulative and inclusive (≥).

use crate::money::{YI, Yuan};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierConfig {
    /// CNY thresholds in 亿元, ascending.
    pub cny_yi: Vec<i64>,
    /// USD thresholds in 亿美元, ascending (for foreign capital).
    pub usd_yi: Vec<i64>,
}

impl Default for TierConfig {
    fn default() -> Self {
        TierConfig {
            cny_yi: vec![1, 3, 5, 10, 20, 50, 100],
            usd_yi: vec![1, 10],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    #[error("档位阈值必须为正整数（亿元）且从小到大排列")]
    NotAscending,
}

impl TierConfig {
    pub fn new(mut cny_yi: Vec<i64>, mut usd_yi: Vec<i64>) -> Result<Self, TierError> {
        let check = |v: &Vec<i64>| v.iter().all(|x| *x > 0) && v.windows(2).all(|w| w[0] < w[1]);
        if !check(&cny_yi) || !check(&usd_yi) {
            return Err(TierError::NotAscending);
        }
        cny_yi.shrink_to_fit();
        usd_yi.shrink_to_fit();
        Ok(TierConfig { cny_yi, usd_yi })
    }

    /// The highest CNY tier (in 亿元) the amount reaches, if any.
    pub fn tier_of(&self, amount: Yuan) -> Option<i64> {
        self.cny_yi
            .iter()
            .rev()
            .copied()
            .find(|t| amount.0 >= t * YI)
    }

    /// Every CNY tier the amount counts in (cumulative: 60亿 counts in 1, 3, 5, 10, 20, 50).
    pub fn tiers_reached(&self, amount: Yuan) -> impl Iterator<Item = i64> + '_ {
        self.cny_yi
            .iter()
            .copied()
            .filter(move |t| amount.0 >= t * YI)
    }

    /// Label for a tier ("10亿元以上").
    pub fn label(tier_yi: i64) -> String {
        format!("{tier_yi}亿元以上")
    }

    /// Lower bound in yuan for a tier threshold.
    pub fn min_yuan(tier_yi: i64) -> Yuan {
        Yuan(tier_yi * YI)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_inclusive() {
        let t = TierConfig::default();
        assert_eq!(t.tier_of(Yuan(YI - 1)), None);
        assert_eq!(t.tier_of(Yuan(YI)), Some(1));
        assert_eq!(t.tier_of(Yuan(5 * YI)), Some(5));
        assert_eq!(t.tier_of(Yuan(100 * YI)), Some(100));
    }

    #[test]
    fn counting_is_cumulative() {
        let t = TierConfig::default();
        let reached: Vec<i64> = t.tiers_reached(Yuan(60 * YI)).collect();
        assert_eq!(reached, vec![1, 3, 5, 10, 20, 50]);
    }

    #[test]
    fn thresholds_are_configuration() {
        let t = TierConfig::new(vec![2, 8], vec![1]).unwrap();
        assert_eq!(t.tier_of(Yuan(5 * YI)), Some(2));
        assert!(TierConfig::new(vec![5, 3], vec![]).is_err());
        assert!(TierConfig::new(vec![0], vec![]).is_err());
    }
}
