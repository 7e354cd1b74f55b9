//! Annual plans (年度计划) and monthly progress (月度进展) as people type them, validated into
//! values the store can keep; blocking-factor kinds (要素制约).

use crate::money::Yuan;
use crate::project::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month, "2024-03".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// Accepts 2024-03, 2024-3, 2024.3, 2024/03, 2024年3月.
    pub fn parse(text: &str) -> Option<Month> {
        let t = text.trim().trim_end_matches('月');
        let (y, m) = t.split_once(['-', '.', '/', '年'])?;
        Month::new(y.trim().parse().ok()?, m.trim().parse().ok()?)
    }

    /// The last day of the month, "2024-02-29".
    pub fn last_day(self) -> chrono::NaiveDate {
        let (ny, nm) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        chrono::NaiveDate::from_ymd_opt(ny, nm, 1)
            .and_then(|d| d.pred_opt())
            .expect("a valid month")
    }

    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// 要素制约: what holds a project back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BlockerKind {
    Land,
    Funding,
    Approval,
    Energy,
    Environment,
    Demolition,
    Other,
}

impl BlockerKind {
    pub const ALL: [BlockerKind; 7] = [
        BlockerKind::Land,
        BlockerKind::Funding,
        BlockerKind::Approval,
        BlockerKind::Energy,
        BlockerKind::Environment,
        BlockerKind::Demolition,
        BlockerKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BlockerKind::Land => "land",
            BlockerKind::Funding => "funding",
            BlockerKind::Approval => "approval",
            BlockerKind::Energy => "energy",
            BlockerKind::Environment => "environment",
            BlockerKind::Demolition => "demolition",
            BlockerKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BlockerKind::Land => "用地",
            BlockerKind::Funding => "资金",
            BlockerKind::Approval => "审批",
            BlockerKind::Energy => "能耗",
            BlockerKind::Environment => "环评",
            BlockerKind::Demolition => "拆迁",
            BlockerKind::Other => "其他",
        }
    }

    pub fn parse(s: &str) -> Option<BlockerKind> {
        BlockerKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || k.label() == s.trim())
    }
}

/// An annual plan as typed: planned investment in 万元, planned start and completion months.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanInput {
    pub year: String,
    pub planned_wan: String,
    /// YYYY-MM, optional.
    pub planned_start: String,
    /// YYYY-MM, optional.
    pub planned_completion: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub year: i32,
    pub planned: Yuan,
    pub planned_start: Option<Month>,
    pub planned_completion: Option<Month>,
}

fn optional_month(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Month> {
    if text.trim().is_empty() {
        return None;
    }
    let m = Month::parse(text);
    if m.is_none() {
        errors.push(FieldError {
            field: field.into(),
            message: format!("“{}”不是有效月份，请写成 2024-03", text.trim()),
        });
    }
    m
}

impl PlanInput {
    pub fn validate(&self) -> Result<Plan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.push(FieldError {
                field: "year".into(),
                message: "请填写计划年度，如 2024".into(),
            });
        }
        let planned = match Yuan::parse_wan(&self.planned_wan) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(FieldError {
                    field: "planned_wan".into(),
                    message: format!("计划投资：{e}"),
                });
                None
            }
        };
        let start = optional_month("planned_start", &self.planned_start, &mut errors);
        let completion =
            optional_month("planned_completion", &self.planned_completion, &mut errors);
        if let (Some(s), Some(c)) = (start, completion)
            && c < s
        {
            errors.push(FieldError {
                field: "planned_completion".into(),
                message: "计划竣工不能早于计划开工".into(),
            });
        }
        match (year, planned) {
            (Some(year), Some(planned)) if errors.is_empty() => Ok(Plan {
                year,
                planned,
                planned_start: start,
                planned_completion: completion,
            }),
            _ => Err(errors),
        }
    }
}

/// A monthly report as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgressInput {
    /// YYYY-MM.
    pub month: String,
    /// Investment completed in the month, 万元.
    pub invested_wan: String,
    /// 形象进度.
    pub image_progress: String,
    /// 需协调事项.
    pub coordination: String,
    /// New blocking factors: kind codes, each with a description at the same index.
    pub blocker_kinds: Vec<String>,
    pub blocker_notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub month: Month,
    pub invested: Yuan,
    pub image_progress: String,
    pub coordination: String,
    pub blockers: Vec<(BlockerKind, String)>,
}

/// The month a report is for: a valid month, not later than `current`; else an error on `month`.
pub fn report_month(text: &str, current: Month, errors: &mut Vec<FieldError>) -> Option<Month> {
    let month = Month::parse(text);
    match month {
        None => errors.push(FieldError {
            field: "month".into(),
            message: "请选择填报月份，如 2024-03".into(),
        }),
        Some(m) if m > current => errors.push(FieldError {
            field: "month".into(),
            message: "不能填报未来月份".into(),
        }),
        Some(_) => {}
    }
    month.filter(|m| *m <= current)
}

impl ProgressInput {
    /// `current` is the month now: a report for a later month is refused.
    pub fn validate(&self, current: Month) -> Result<Progress, Vec<FieldError>> {
        let mut errors = Vec::new();
        let month = report_month(&self.month, current, &mut errors);
        let invested = match Yuan::parse_wan(&self.invested_wan) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(FieldError {
                    field: "invested_wan".into(),
                    message: format!("当月完成投资：{e}"),
                });
                None
            }
        };
        if self.image_progress.trim().chars().count() > 500 {
            errors.push(FieldError {
                field: "image_progress".into(),
                message: "形象进度不能超过500字".into(),
            });
        }
        let mut blockers = Vec::new();
        for (i, kind) in self.blocker_kinds.iter().enumerate() {
            let note = self
                .blocker_notes
                .get(i)
                .map(|n| n.trim().to_string())
                .unwrap_or_default();
            if kind.trim().is_empty() && note.is_empty() {
                continue;
            }
            match BlockerKind::parse(kind) {
                Some(k) if !note.is_empty() => blockers.push((k, note)),
                Some(_) => errors.push(FieldError {
                    field: "blocker_notes".into(),
                    message: "请说明要素制约的具体情况".into(),
                }),
                None => errors.push(FieldError {
                    field: "blocker_kinds".into(),
                    message: "请选择要素制约类型".into(),
                }),
            }
        }
        match (month, invested) {
            (Some(month), Some(invested)) if errors.is_empty() => Ok(Progress {
                month,
                invested,
                image_progress: self.image_progress.trim().to_string(),
                coordination: self.coordination.trim().to_string(),
                blockers,
            }),
            _ => Err(errors),
        }
    }
}

/// A project as a plan or progress sheet names it: by its national code, else by name (and
/// district, when the sheet has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub code: Option<String>,
    pub name: String,
    pub district_code: Option<String>,
}

impl fmt::Display for ProjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) if self.name.is_empty() => f.write_str(c),
            _ => f.write_str(&self.name),
        }
    }
}

/// A row of an annual-plan sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub project: ProjectRef,
    pub plan: Plan,
}

/// A row of a monthly-progress sheet. When `year_to_date`, `progress.invested` is the year's
/// total up to the month (the 1-N月累计 offices often report) and the month's own share is what
/// it adds to the months before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRecord {
    pub project: ProjectRef,
    pub progress: Progress,
    pub year_to_date: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_the_ways_offices_write_them() {
        for t in ["2024-03", "2024-3", "2024.3", "2024/03", "2024年3月"] {
            assert_eq!(Month::parse(t), Month::new(2024, 3), "{t}");
        }
        assert_eq!(Month::parse("2024-13"), None);
        assert_eq!(
            Month::new(2024, 2).unwrap().last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Month::new(2024, 12).unwrap().last_day().to_string(),
            "2024-12-31"
        );
    }

    #[test]
    fn a_plan_needs_a_year_and_an_amount_and_ordered_months() {
        let ok = PlanInput {
            year: "2024".into(),
            planned_wan: "12000".into(),
            planned_start: "2024-03".into(),
            planned_completion: "2025-06".into(),
        };
        let plan = ok.validate().unwrap();
        assert_eq!(plan.planned, Yuan(120_000_000));
        let bad = PlanInput {
            year: "x".into(),
            planned_wan: "".into(),
            planned_start: "2024-06".into(),
            planned_completion: "2024-03".into(),
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["year", "planned_wan", "planned_completion"]);
    }

    #[test]
    fn a_report_refuses_the_future_and_unexplained_blockers() {
        let now = Month::new(2024, 6).unwrap();
        let input = ProgressInput {
            month: "2024-07".into(),
            invested_wan: "500".into(),
            blocker_kinds: vec!["land".into(), "".into()],
            blocker_notes: vec!["".into(), "".into()],
            ..Default::default()
        };
        let fields: Vec<String> = input
            .validate(now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["month", "blocker_notes"]);
        let ok = ProgressInput {
            month: "2024-06".into(),
            blocker_notes: vec!["土地指标尚未落实".into(), "".into()],
            ..input
        };
        let p = ok.validate(now).unwrap();
        assert_eq!(
            p.blockers,
            vec![(BlockerKind::Land, "土地指标尚未落实".to_string())]
        );
    }
}
