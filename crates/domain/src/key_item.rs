//! Key items (重点事项) of a year's work plan or cooperation list, their milestones and the
//! status computed from them (未启动 / 推进中 / 已完成 / 滞后), as people type them and as the
//! office reads them. Status is never stored: it follows from the milestones and the day asked.

use crate::cells::{DateCell, parse_date};
use crate::progress::{Month, report_month};
use crate::project::FieldError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The kinds of plan an office keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlanKind {
    /// 年度工作要点.
    WorkPoints,
    /// 重点合作事项清单.
    CooperationList,
    /// "10+20+5" 推进载体: flagship projects, major items, safeguards.
    Flagship,
}

impl PlanKind {
    pub const ALL: [PlanKind; 3] = [
        PlanKind::WorkPoints,
        PlanKind::CooperationList,
        PlanKind::Flagship,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanKind::WorkPoints => "work_points",
            PlanKind::CooperationList => "cooperation_list",
            PlanKind::Flagship => "flagship",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanKind::WorkPoints => "年度工作要点",
            PlanKind::CooperationList => "重点合作事项清单",
            PlanKind::Flagship => "“10+20+5”推进载体",
        }
    }

    pub fn parse(s: &str) -> Option<PlanKind> {
        let s = s.trim();
        PlanKind::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
            .or_else(|| s.contains("10+20+5").then_some(PlanKind::Flagship))
    }

    /// The categories a new plan of this kind starts with; the office may change them.
    pub fn default_categories(self) -> &'static [&'static str] {
        match self {
            PlanKind::Flagship => &["标志性工程", "重大事项", "保障措施"],
            PlanKind::WorkPoints | PlanKind::CooperationList => &TASK_AREAS,
        }
    }
}

/// The task areas of a work plan (domain.md): the categories most plans use.
pub const TASK_AREAS: [&str; 8] = [
    "产业协同",
    "生态共保",
    "交通互联",
    "城乡融合",
    "创新协同",
    "开放合作",
    "公共服务共享",
    "营商环境",
];

/// A key item's status on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum ItemStatus {
    NotStarted,
    InProgress,
    Done,
    Lagging,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] = [
        ItemStatus::NotStarted,
        ItemStatus::InProgress,
        ItemStatus::Done,
        ItemStatus::Lagging,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "not_started",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::Lagging => "lagging",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "未启动",
            ItemStatus::InProgress => "推进中",
            ItemStatus::Done => "已完成",
            ItemStatus::Lagging => "滞后",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        ItemStatus::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || k.label() == s.trim())
    }
}

/// The dates of one milestone: when it is due and, once done, when it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MilestoneDates {
    pub due: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// One milestone on a given day, for the timeline and the reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MilestoneState {
    /// Done on or before its due day.
    DoneOnTime,
    /// Done, after its due day.
    DoneLate,
    /// Not done and past its due day (due yesterday or earlier).
    Overdue,
    /// Not done, due today or within the reminder window.
    DueSoon,
    /// Not done, due later than the reminder window.
    Open,
}

/// Reminders look this many days ahead: "due within 7 days" includes the seventh day.
pub const REMINDER_DAYS: u64 = 7;

impl MilestoneDates {
    /// A milestone due today is not yet overdue: the unit has the whole day. Asked about a
    /// past day, a milestone done only later was not yet done then.
    pub fn state(self, today: NaiveDate) -> MilestoneState {
        match self.done_on.filter(|done| *done <= today) {
            Some(done) if done <= self.due => MilestoneState::DoneOnTime,
            Some(_) => MilestoneState::DoneLate,
            None if self.due < today => MilestoneState::Overdue,
            None if self.due <= today + Days::new(REMINDER_DAYS) => MilestoneState::DueSoon,
            None => MilestoneState::Open,
        }
    }
}

impl MilestoneState {
    pub fn label(self) -> &'static str {
        match self {
            MilestoneState::DoneOnTime => "按期完成",
            MilestoneState::DoneLate => "逾期完成",
            MilestoneState::Overdue => "已逾期",
            MilestoneState::DueSoon => "即将到期",
            MilestoneState::Open => "未到期",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, MilestoneState::DoneOnTime | MilestoneState::DoneLate)
    }
}

/// An item's status on `today`:
/// - 滞后 when any milestone is past due and not done (a milestone done late no longer counts);
/// - 已完成 when it has milestones and every one is done;
/// - 推进中 when a milestone is done or the lead unit has filed progress;
/// - 未启动 otherwise.
pub fn item_status(
    milestones: &[MilestoneDates],
    has_progress: bool,
    today: NaiveDate,
) -> ItemStatus {
    let states: Vec<MilestoneState> = milestones.iter().map(|m| m.state(today)).collect();
    if states.contains(&MilestoneState::Overdue) {
        ItemStatus::Lagging
    } else if !states.is_empty() && states.iter().all(|s| s.is_done()) {
        ItemStatus::Done
    } else if has_progress || states.iter().any(|s| s.is_done()) {
        ItemStatus::InProgress
    } else {
        ItemStatus::NotStarted
    }
}

/// A milestone as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MilestoneInput {
    pub title: String,
    /// YYYY-MM-DD (also 2024.6.30, 2024年6月30日).
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub title: String,
    pub due: NaiveDate,
}

/// A due day as offices write it; a month alone ("2024.6", "2024年6月") means its last day.
pub fn due_date(text: &str) -> Option<NaiveDate> {
    match parse_date(text).ok()? {
        DateCell::Day(d) => Some(d),
        DateCell::Month(m) => Some(m.last_day()),
    }
}

/// A key item as typed in the form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    pub plan_id: String,
    pub category: String,
    pub title: String,
    pub lead_unit_id: String,
    /// 配合单位, separated by 、 , ，; or new lines.
    pub partner_units: String,
    /// 合作地区, e.g. 上海市松江区、苏州市吴江区.
    pub partner_regions: String,
    /// 目标任务.
    pub target: String,
    pub milestones: Vec<MilestoneInput>,
    /// Linked project ids.
    pub project_ids: Vec<String>,
    /// The agreement clause the item carries out, if any.
    pub clause_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub plan_id: i64,
    pub category: String,
    pub title: String,
    pub lead_unit_id: i64,
    pub partner_units: Vec<String>,
    pub partner_regions: Vec<String>,
    pub target: String,
    pub milestones: Vec<Milestone>,
    pub project_ids: Vec<i64>,
    pub clause_id: Option<i64>,
}

/// Splits a typed list on the separators offices use: 、 , ， ; ； and new lines.
pub fn split_names(text: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for part in text.split(['、', ',', '，', ';', '；', '\n']) {
        let p = part.trim();
        if !p.is_empty() && !seen.iter().any(|s: &String| s == p) {
            seen.push(p.to_string());
        }
    }
    seen
}

fn required_id(field: &str, text: &str, message: &str, errors: &mut Vec<FieldError>) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(v) if v > 0 => v,
        _ => {
            errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            });
            0
        }
    }
}

fn limited(field: &str, label: &str, text: &str, max: usize, errors: &mut Vec<FieldError>) {
    if text.trim().chars().count() > max {
        errors.push(FieldError {
            field: field.into(),
            message: format!("{label}不能超过{max}字"),
        });
    }
}

impl ItemInput {
    /// `categories` are the plan's categories; the item's must be one of them.
    pub fn validate(&self, categories: &[String]) -> Result<Item, Vec<FieldError>> {
        let mut errors = Vec::new();
        let plan_id = required_id("plan_id", &self.plan_id, "请选择所属计划", &mut errors);
        let lead_unit_id = required_id(
            "lead_unit_id",
            &self.lead_unit_id,
            "请选择牵头单位",
            &mut errors,
        );
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(FieldError {
                field: "title".into(),
                message: "请填写事项名称".into(),
            });
        }
        limited("title", "事项名称", title, 200, &mut errors);
        limited("target", "目标任务", &self.target, 2000, &mut errors);
        let category = self.category.trim();
        if category.is_empty() {
            errors.push(FieldError {
                field: "category".into(),
                message: "请选择任务类别".into(),
            });
        } else if !categories.iter().any(|c| c == category) {
            errors.push(FieldError {
                field: "category".into(),
                message: format!("“{category}”不是该计划的任务类别"),
            });
        }
        let mut milestones = Vec::new();
        for (i, m) in self.milestones.iter().enumerate() {
            let (t, d) = (m.title.trim(), m.due_on.trim());
            if t.is_empty() && d.is_empty() {
                continue;
            }
            let field = format!("milestones[{i}]");
            if t.is_empty() {
                errors.push(FieldError {
                    field: field.clone(),
                    message: format!("第{}个节点：请填写节点内容", i + 1),
                });
            }
            limited(&field, "节点内容", t, 200, &mut errors);
            match due_date(d) {
                Some(due) => milestones.push(Milestone {
                    title: t.to_string(),
                    due,
                }),
                None => errors.push(FieldError {
                    field,
                    message: format!("第{}个节点：“{d}”不是有效日期，请写成 2024-06-30", i + 1),
                }),
            }
        }
        milestones.sort_by_key(|m| m.due);
        let mut project_ids = Vec::new();
        for p in &self.project_ids {
            match p.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !project_ids.contains(&id) {
                        project_ids.push(id);
                    }
                }
                _ if p.trim().is_empty() => {}
                _ => errors.push(FieldError {
                    field: "project_ids".into(),
                    message: format!("“{}”不是有效的项目编号", p.trim()),
                }),
            }
        }
        let clause_id = match self.clause_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(FieldError {
                        field: "clause_id".into(),
                        message: "所选协议条款无效".into(),
                    });
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Item {
            plan_id,
            category: category.to_string(),
            title: title.to_string(),
            lead_unit_id,
            partner_units: split_names(&self.partner_units),
            partner_regions: split_names(&self.partner_regions),
            target: self.target.trim().to_string(),
            milestones,
            project_ids,
            clause_id,
        })
    }
}

/// A plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WorkPlanInput {
    pub year: String,
    /// work_points, cooperation_list or flagship (or its Chinese name).
    pub kind: String,
    pub name: String,
    /// One category per line (or separated by 、); empty takes the kind's defaults.
    pub categories: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkPlan {
    pub year: i32,
    pub kind: PlanKind,
    pub name: String,
    pub categories: Vec<String>,
}

impl WorkPlanInput {
    pub fn validate(&self) -> Result<WorkPlan, Vec<FieldError>> {
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
                message: "请填写年度，如 2024".into(),
            });
        }
        let kind = PlanKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError {
                field: "kind".into(),
                message: "请选择计划类型".into(),
            });
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError {
                field: "name".into(),
                message: "请填写计划名称".into(),
            });
        }
        limited("name", "计划名称", name, 100, &mut errors);
        match (year, kind) {
            (Some(year), Some(kind)) if errors.is_empty() => {
                let mut categories = split_names(&self.categories);
                if categories.is_empty() {
                    categories = kind
                        .default_categories()
                        .iter()
                        .map(|c| c.to_string())
                        .collect();
                }
                Ok(WorkPlan {
                    year,
                    kind,
                    name: name.to_string(),
                    categories,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A month's progress on an item, as the lead unit files it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemProgressInput {
    /// YYYY-MM.
    pub month: String,
    /// 工作进展.
    pub content: String,
    /// 存在问题 / 下步打算.
    pub next_steps: String,
    /// Milestone ids completed with this report.
    pub done_milestones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProgress {
    pub month: Month,
    pub content: String,
    pub next_steps: String,
    pub done_milestones: Vec<i64>,
}

impl ItemProgressInput {
    /// `current` is the month now: progress for a later month is refused.
    pub fn validate(&self, current: Month) -> Result<ItemProgress, Vec<FieldError>> {
        let mut errors = Vec::new();
        let month = report_month(&self.month, current, &mut errors);
        let content = self.content.trim();
        if content.is_empty() {
            errors.push(FieldError {
                field: "content".into(),
                message: "请填写本月工作进展".into(),
            });
        }
        limited("content", "工作进展", content, 2000, &mut errors);
        limited(
            "next_steps",
            "下步打算",
            &self.next_steps,
            1000,
            &mut errors,
        );
        let mut done = Vec::new();
        for d in &self.done_milestones {
            if let Ok(id) = d.trim().parse::<i64>()
                && !done.contains(&id)
            {
                done.push(id);
            }
        }
        match month {
            Some(month) if errors.is_empty() => Ok(ItemProgress {
                month,
                content: content.to_string(),
                next_steps: self.next_steps.trim().to_string(),
                done_milestones: done,
            }),
            _ => Err(errors),
        }
    }
}

impl PlanKind {
    /// The kind a plan's name suggests: "…“10+20+5”…" is the flagship list, "…工作要点" the work
    /// points, anything else a cooperation list.
    pub fn guess(name: &str) -> PlanKind {
        let n = crate::cells::half_width(name);
        if n.contains("10+20+5") {
            PlanKind::Flagship
        } else if n.contains("要点") {
            PlanKind::WorkPoints
        } else {
            PlanKind::CooperationList
        }
    }
}

/// A key item as a workbook row states it, its lead unit already found in the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub plan_name: String,
    pub plan_year: i32,
    pub category: String,
    pub title: String,
    pub lead_unit_id: i64,
    pub partner_units: Vec<String>,
    pub partner_regions: Vec<String>,
    pub target: String,
    pub milestones: Vec<Milestone>,
}

/// The first time limit a phrase states, as offices write them in a plan: "2024年6月30日",
/// "2024年6月", "6月底前" / "6月" (in `year`), "2024-06-30", "一季度", "上半年", "三季度",
/// "年底前" / "年内" / "四季度". A month means its last day.
pub fn deadline_in(text: &str, year: i32) -> Option<NaiveDate> {
    let t = crate::cells::half_width(text);
    let chars: Vec<char> = t.chars().collect();
    let number = |from: usize| -> (Option<u32>, usize) {
        let mut i = from;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[from..i].iter().collect();
        (digits.parse().ok().filter(|_| i - from <= 4), i)
    };
    let month_end = |y: i32, m: u32| Month::new(y, m).map(Month::last_day);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (n, end) = number(i);
        let Some(n) = n else {
            i = end;
            continue;
        };
        let (y, m, d, next) = match chars.get(end) {
            Some('年') if end - i == 4 => {
                let (m, e2) = number(end + 1);
                if chars.get(e2) != Some(&'月') {
                    i = end + 1;
                    continue;
                }
                let (d, e3) = number(e2 + 1);
                let day = d.filter(|_| matches!(chars.get(e3), Some('日' | '号')));
                (n as i32, m, day, e3)
            }
            Some('月') => {
                let (d, e2) = number(end + 1);
                let day = d.filter(|_| matches!(chars.get(e2), Some('日' | '号')));
                (year, Some(n), day, e2)
            }
            Some('-' | '.' | '/') if end - i == 4 => {
                let (m, e2) = number(end + 1);
                let (d, e3) = if matches!(chars.get(e2), Some('-' | '.' | '/')) {
                    number(e2 + 1)
                } else {
                    (None, e2)
                };
                (n as i32, m, d, e3)
            }
            _ => {
                i = end;
                continue;
            }
        };
        let found = match (m, d) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d),
            (Some(m), None) => month_end(y, m),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        i = next.max(i + 1);
    }
    let words: [(&[&str], u32); 4] = [
        (&["一季度", "第一季度"], 3),
        (&["二季度", "上半年"], 6),
        (&["三季度", "前三季度"], 9),
        (&["四季度", "年底", "年末", "年内", "全年", "下半年"], 12),
    ];
    words
        .iter()
        .filter_map(|(ws, m)| ws.iter().filter_map(|w| t.find(w)).min().map(|at| (at, *m)))
        .min()
        .and_then(|(_, m)| month_end(year, m))
}

/// A phrase without its list number: "1. …", "2、…", "(3)…", "（4）…".
fn strip_numbering(phrase: &str) -> &str {
    let t = phrase.trim();
    if let Some(rest) = t.strip_prefix(['(', '（'])
        && let Some(close) = rest.find([')', '）'])
        && close > 0
        && rest[..close].chars().all(|c| c.is_ascii_digit())
    {
        let after = &rest[close..];
        return after.strip_prefix([')', '）']).unwrap_or(after).trim();
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    match t[digits..].strip_prefix(['.', '、', ')', '）']) {
        Some(rest) if digits > 0 => rest.trim(),
        _ => t,
    }
}

/// Milestones as a plan's cell lists them, one phrase each, separated by new lines or
/// semicolons: "6月底前完成园区规划；12月底前引进项目5个". Each phrase is kept as written and
/// must state its time limit.
pub fn milestones_in(text: &str, year: i32) -> Result<Vec<Milestone>, String> {
    let mut out = Vec::new();
    for part in text.split(['\n', '；', ';']) {
        let title = strip_numbering(part).trim_end_matches('。');
        if title.is_empty() {
            continue;
        }
        match deadline_in(title, year) {
            Some(due) => out.push(Milestone {
                title: title.chars().take(200).collect(),
                due,
            }),
            None => {
                return Err(format!(
                    "节点“{title}”没有写明时限，请写成“6月底前……”或“2024年6月30日前……”"
                ));
            }
        }
    }
    out.sort_by_key(|m| m.due);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn m(due: &str, done: Option<&str>) -> MilestoneDates {
        MilestoneDates {
            due: d(due),
            done_on: done.map(d),
        }
    }

    #[test]
    fn a_milestone_due_today_is_not_yet_late() {
        let today = d("2024-06-30");
        assert_eq!(m("2024-06-30", None).state(today), MilestoneState::DueSoon);
        assert_eq!(
            item_status(&[m("2024-06-30", None)], false, today),
            ItemStatus::NotStarted
        );
    }

    #[test]
    fn a_milestone_due_yesterday_and_not_done_makes_the_item_lag() {
        let today = d("2024-07-01");
        assert_eq!(m("2024-06-30", None).state(today), MilestoneState::Overdue);
        assert_eq!(
            item_status(
                &[m("2024-03-31", Some("2024-03-20")), m("2024-06-30", None)],
                true,
                today
            ),
            ItemStatus::Lagging
        );
    }

    #[test]
    fn a_milestone_done_late_is_done_and_no_longer_lags_the_item() {
        let today = d("2024-08-01");
        let late = m("2024-06-30", Some("2024-07-15"));
        assert_eq!(late.state(today), MilestoneState::DoneLate);
        assert_eq!(item_status(&[late], false, today), ItemStatus::Done);
        assert_eq!(
            item_status(&[late, m("2024-12-31", None)], false, today),
            ItemStatus::InProgress
        );
    }

    #[test]
    fn a_milestone_done_after_the_day_asked_was_not_done_on_that_day() {
        let late = m("2024-06-30", Some("2024-07-15"));
        assert_eq!(late.state(d("2024-07-10")), MilestoneState::Overdue);
        assert_eq!(late.state(d("2024-06-20")), MilestoneState::Open);
        assert_eq!(late.state(d("2024-07-15")), MilestoneState::DoneLate);
    }

    #[test]
    fn done_on_the_due_day_is_on_time() {
        assert_eq!(
            m("2024-06-30", Some("2024-06-30")).state(d("2024-09-01")),
            MilestoneState::DoneOnTime
        );
    }

    #[test]
    fn the_reminder_window_includes_the_seventh_day_and_not_the_eighth() {
        let today = d("2024-06-01");
        assert_eq!(m("2024-06-08", None).state(today), MilestoneState::DueSoon);
        assert_eq!(m("2024-06-09", None).state(today), MilestoneState::Open);
    }

    #[test]
    fn an_item_without_milestones_is_started_by_its_first_report() {
        let today = d("2024-06-01");
        assert_eq!(item_status(&[], false, today), ItemStatus::NotStarted);
        assert_eq!(item_status(&[], true, today), ItemStatus::InProgress);
    }

    #[test]
    fn item_input_reports_every_problem_in_chinese() {
        let input = ItemInput {
            plan_id: "1".into(),
            category: "体育".into(),
            title: "".into(),
            lead_unit_id: "".into(),
            milestones: vec![
                MilestoneInput {
                    title: "完成方案".into(),
                    due_on: "2024-13-01".into(),
                },
                MilestoneInput::default(),
            ],
            ..Default::default()
        };
        let errors = input.validate(&["产业协同".into()]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["lead_unit_id", "title", "category", "milestones[0]"]
        );
        assert!(errors[3].message.contains("2024-13-01"));
    }

    #[test]
    fn item_input_sorts_milestones_and_splits_partners() {
        let input = ItemInput {
            plan_id: "1".into(),
            category: "交通互联".into(),
            title: "沪苏湖铁路开工建设".into(),
            lead_unit_id: "3".into(),
            partner_units: "市发改委、市交通运输局，市自然资源和规划局".into(),
            partner_regions: "上海市松江区;苏州市吴江区".into(),
            milestones: vec![
                MilestoneInput {
                    title: "全线开工".into(),
                    due_on: "2024年6月30日".into(),
                },
                MilestoneInput {
                    title: "完成初步设计批复".into(),
                    due_on: "2024.3.31".into(),
                },
            ],
            project_ids: vec!["5".into(), "5".into(), "".into()],
            ..Default::default()
        };
        let item = input.validate(&["交通互联".into()]).unwrap();
        assert_eq!(item.milestones[0].title, "完成初步设计批复");
        assert_eq!(item.milestones[1].due, d("2024-06-30"));
        assert_eq!(item.partner_units.len(), 3);
        assert_eq!(due_date("2024.9"), Some(d("2024-09-30")));
        assert_eq!(item.partner_regions, ["上海市松江区", "苏州市吴江区"]);
        assert_eq!(item.project_ids, [5]);
    }

    #[test]
    fn a_plan_without_categories_takes_its_kinds_defaults() {
        let plan = WorkPlanInput {
            year: "2024".into(),
            kind: "“10+20+5”推进载体".into(),
            name: "2024年“10+20+5”推进载体".into(),
            categories: "".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(plan.kind, PlanKind::Flagship);
        assert_eq!(plan.categories, ["标志性工程", "重大事项", "保障措施"]);
    }

    #[test]
    fn progress_for_a_future_month_is_refused() {
        let input = ItemProgressInput {
            month: "2024-08".into(),
            content: "完成可研".into(),
            ..Default::default()
        };
        let now = Month::new(2024, 7).unwrap();
        assert_eq!(input.validate(now).unwrap_err()[0].field, "month");
        let ok = ItemProgressInput {
            month: "2024-07".into(),
            done_milestones: vec!["4".into(), "x".into(), "4".into()],
            ..input
        };
        assert_eq!(ok.validate(now).unwrap().done_milestones, [4]);
    }

    #[test]
    fn deadlines_as_plans_write_them() {
        let y = 2024;
        assert_eq!(deadline_in("6月底前完成园区规划", y), Some(d("2024-06-30")));
        assert_eq!(deadline_in("2025年3月完成", y), Some(d("2025-03-31")));
        assert_eq!(deadline_in("2024年9月15日前开工", y), Some(d("2024-09-15")));
        assert_eq!(deadline_in("１０月２０日前", y), Some(d("2024-10-20")));
        assert_eq!(deadline_in("2024.11.5 完成验收", y), Some(d("2024-11-05")));
        assert_eq!(deadline_in("上半年完成方案", y), Some(d("2024-06-30")));
        assert_eq!(deadline_in("年底前全面完成", y), Some(d("2024-12-31")));
        assert_eq!(deadline_in("引进项目5个", y), None);
        assert_eq!(deadline_in("13月底前", y), None);
    }

    #[test]
    fn milestones_are_read_phrase_by_phrase() {
        let ms =
            milestones_in("1. 12月底前引进项目5个；\n（2）6月底前完成园区规划。", 2024).unwrap();
        assert_eq!(ms[0].title, "6月底前完成园区规划");
        assert_eq!(ms[0].due, d("2024-06-30"));
        assert_eq!(ms[1].due, d("2024-12-31"));
        let err = milestones_in("6月底前完成规划；引进项目", 2024).unwrap_err();
        assert!(err.contains("引进项目") && err.contains("没有写明时限"));
        assert_eq!(PlanKind::guess("2024年“10＋20＋5”清单"), PlanKind::Flagship);
        assert_eq!(PlanKind::guess("2024年工作要点"), PlanKind::WorkPoints);
    }
}
