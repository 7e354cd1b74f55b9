//! What the office reads off a year's 亩均效益评价: where the evaluation stands (草稿 → 公示 →
//! 已发布), the classes by district or industry, the movement between classes year on year, and
//! the improvement list the bottom class feeds (整治提升 / 腾笼换鸟).

use crate::mujun::MuResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a year's evaluation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The scheme can be edited; results are a trial computed on read.
    Draft,
    /// Results frozen and shown to the enterprises; objections may be filed.
    Publicized,
    /// Published: results final, the improvement list drawn up.
    Final,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Publicized => "publicized",
            Stage::Final => "final",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "草稿（试算）",
            Stage::Publicized => "公示中",
            Stage::Final => "已发布",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        [Stage::Draft, Stage::Publicized, Stage::Final]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What is done about an enterprise in the bottom class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImprovementKind {
    /// 整治提升: the enterprise improves in place.
    Upgrade,
    /// 腾笼换鸟: the land and floor are given back for better use.
    Vacate,
}

impl ImprovementKind {
    pub const ALL: [ImprovementKind; 2] = [ImprovementKind::Upgrade, ImprovementKind::Vacate];

    pub fn code(self) -> &'static str {
        match self {
            ImprovementKind::Upgrade => "upgrade",
            ImprovementKind::Vacate => "vacate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImprovementKind::Upgrade => "整治提升",
            ImprovementKind::Vacate => "腾笼换鸟",
        }
    }

    pub fn parse(code: &str) -> Option<ImprovementKind> {
        ImprovementKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One row of a distribution: how many enterprises of a group fall in each class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassCounts {
    /// The district, the industry … ("合计" for the total row).
    pub key: String,
    /// In the scheme's class order.
    pub counts: Vec<usize>,
    /// Exempt (免评), counted apart from the classes.
    pub exempt: usize,
    /// Not graded for want of data, or 规下 without a scheme.
    pub ungraded: usize,
    pub total: usize,
}

impl ClassCounts {
    fn new(key: &str, classes: usize) -> ClassCounts {
        ClassCounts {
            key: key.to_string(),
            counts: vec![0; classes],
            exempt: 0,
            ungraded: 0,
            total: 0,
        }
    }

    fn add(&mut self, classes: &[String], r: &MuResult) {
        self.total += 1;
        match r.class.as_deref() {
            Some(c) => match classes.iter().position(|x| x == c) {
                Some(i) => self.counts[i] += 1,
                None => self.ungraded += 1,
            },
            None if r.managed_as.is_some() => self.exempt += 1,
            None => self.ungraded += 1,
        }
    }
}

/// Class counts per group (sorted by key) and the total row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Distribution {
    pub classes: Vec<String>,
    pub rows: Vec<ClassCounts>,
    pub total: ClassCounts,
}

/// Counts each result in its group's row and in the total.
pub fn distribution<'a>(
    classes: &[String],
    items: impl IntoIterator<Item = (&'a str, &'a MuResult)>,
) -> Distribution {
    let mut groups: BTreeMap<&str, ClassCounts> = BTreeMap::new();
    let mut total = ClassCounts::new("合计", classes.len());
    for (key, r) in items {
        groups
            .entry(key)
            .or_insert_with(|| ClassCounts::new(key, classes.len()))
            .add(classes, r);
        total.add(classes, r);
    }
    Distribution {
        classes: classes.to_vec(),
        rows: groups.into_values().collect(),
        total,
    }
}

/// Enterprises graded in both years, by last year's class (rows) and this year's (columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Movement {
    pub classes: Vec<String>,
    pub cells: Vec<Vec<usize>>,
    /// Moved to a better class.
    pub up: usize,
    pub same: usize,
    pub down: usize,
    /// Graded this year but not last year.
    pub new: usize,
}

/// Movement between classes: `pairs` are (last year's class, this year's class) per enterprise.
/// Classes are ordered best first, as the scheme lists them.
pub fn movement<'a>(
    classes: &[String],
    pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Movement {
    let n = classes.len();
    let mut m = Movement {
        classes: classes.to_vec(),
        cells: vec![vec![0; n]; n],
        up: 0,
        same: 0,
        down: 0,
        new: 0,
    };
    let at = |c: Option<&str>| c.and_then(|c| classes.iter().position(|x| x == c));
    for (before, now) in pairs {
        match (at(before), at(now)) {
            (Some(b), Some(a)) => {
                m.cells[b][a] += 1;
                match a.cmp(&b) {
                    std::cmp::Ordering::Less => m.up += 1,
                    std::cmp::Ordering::Equal => m.same += 1,
                    std::cmp::Ordering::Greater => m.down += 1,
                }
            }
            (None, Some(_)) => m.new += 1,
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(class: Option<&str>, managed_as: Option<&str>) -> MuResult {
        MuResult {
            score: class.map(|_| 50.0),
            class: class.map(str::to_string),
            rank: class.map(|_| 1),
            managed_as: managed_as.map(str::to_string),
            indicators: vec![],
            adjustments: vec![],
            note: None,
        }
    }

    fn abcd() -> Vec<String> {
        ["A", "B", "C", "D"].map(String::from).to_vec()
    }

    #[test]
    fn distribution_counts_classes_exempt_and_ungraded_per_group_and_in_total() {
        let rs = [
            result(Some("A"), None),
            result(Some("D"), None),
            result(None, Some("B")),
            result(Some("A"), None),
            result(None, None),
        ];
        let keys = ["长兴县", "吴兴区", "长兴县", "吴兴区", "吴兴区"];
        let d = distribution(&abcd(), keys.iter().copied().zip(rs.iter()));
        assert_eq!(
            d.rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["吴兴区", "长兴县"]
        );
        assert_eq!(d.rows[0].counts, [1, 0, 0, 1]);
        assert_eq!((d.rows[0].ungraded, d.rows[0].total), (1, 3));
        assert_eq!((d.rows[1].counts[0], d.rows[1].exempt), (1, 1));
        assert_eq!(d.total.counts, [2, 0, 0, 1]);
        assert_eq!((d.total.exempt, d.total.ungraded, d.total.total), (1, 1, 5));
    }

    #[test]
    fn movement_counts_up_same_down_and_new() {
        let pairs = [
            (Some("D"), Some("C")),
            (Some("B"), Some("B")),
            (Some("A"), Some("C")),
            (None, Some("A")),
            (Some("C"), None),
        ];
        let m = movement(&abcd(), pairs);
        assert_eq!((m.up, m.same, m.down, m.new), (1, 1, 1, 1));
        assert_eq!(m.cells[3][2], 1);
        assert_eq!(m.cells[0][2], 1);
    }

    #[test]
    fn stage_and_kind_codes_round_trip() {
        for s in [Stage::Draft, Stage::Publicized, Stage::Final] {
            assert_eq!(Stage::parse(s.code()), Some(s));
        }
        for k in ImprovementKind::ALL {
            assert_eq!(ImprovementKind::parse(k.code()), Some(k));
        }
    }
}
