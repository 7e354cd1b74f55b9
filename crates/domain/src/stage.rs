//! The life of a project: 线索 → 在谈 → 签约 → 开工 → 竣工 → 投产 → 达产, or 终止 from any
//! stage that is still open.
//!
//! Rules (the office's, made strict so the history stays trustworthy):
//! - a project moves forward one stage at a time; 达产 and 终止 are final;
//! - 终止 needs a reason;
//! - a change is dated, not in the future and not before the previous change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Lead,
    Negotiating,
    Signed,
    Started,
    Completed,
    Producing,
    FullProduction,
    Terminated,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Lead,
        Stage::Negotiating,
        Stage::Signed,
        Stage::Started,
        Stage::Completed,
        Stage::Producing,
        Stage::FullProduction,
        Stage::Terminated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Lead => "线索",
            Stage::Negotiating => "在谈",
            Stage::Signed => "签约",
            Stage::Started => "开工",
            Stage::Completed => "竣工",
            Stage::Producing => "投产",
            Stage::FullProduction => "达产",
            Stage::Terminated => "终止",
        }
    }

    /// Stable code stored in the database and used in URLs and the API.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Negotiating => "negotiating",
            Stage::Signed => "signed",
            Stage::Started => "started",
            Stage::Completed => "completed",
            Stage::Producing => "producing",
            Stage::FullProduction => "full_production",
            Stage::Terminated => "terminated",
        }
    }

    /// Accepts the code or the Chinese word in its common variants (已签约, 在建 …).
    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.trim();
        Stage::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .or(match s {
                "线索" | "储备" => Some(Stage::Lead),
                "在谈" | "洽谈" | "洽谈中" => Some(Stage::Negotiating),
                "签约" | "已签约" => Some(Stage::Signed),
                "开工" | "已开工" | "在建" => Some(Stage::Started),
                "竣工" | "已竣工" => Some(Stage::Completed),
                "投产" | "已投产" => Some(Stage::Producing),
                "达产" | "已达产" => Some(Stage::FullProduction),
                "终止" | "已终止" => Some(Stage::Terminated),
                _ => None,
            })
    }

    pub fn is_final(self) -> bool {
        matches!(self, Stage::FullProduction | Stage::Terminated)
    }

    /// Has the project been signed (签约 or any later working stage)?
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Stage::Signed
                | Stage::Started
                | Stage::Completed
                | Stage::Producing
                | Stage::FullProduction
        )
    }

    /// Does reaching this stage mean the project has started (开工 or later; 终止 does not)?
    /// 开工率 and 落地率 count a project from its first change into such a stage.
    pub fn has_started(self) -> bool {
        matches!(
            self,
            Stage::Started | Stage::Completed | Stage::Producing | Stage::FullProduction
        )
    }

    /// Does reaching this stage mean the project is complete (竣工 or later)? For 竣工率.
    pub fn has_completed(self) -> bool {
        matches!(
            self,
            Stage::Completed | Stage::Producing | Stage::FullProduction
        )
    }

    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Lead => Some(Stage::Negotiating),
            Stage::Negotiating => Some(Stage::Signed),
            Stage::Signed => Some(Stage::Started),
            Stage::Started => Some(Stage::Completed),
            Stage::Completed => Some(Stage::Producing),
            Stage::Producing => Some(Stage::FullProduction),
            Stage::FullProduction | Stage::Terminated => None,
        }
    }

    /// The stages this one may move to.
    pub fn allowed_next(self) -> Vec<Stage> {
        if self.is_final() {
            return Vec::new();
        }
        self.next().into_iter().chain([Stage::Terminated]).collect()
    }
}

/// Maturity of a project in negotiation (分级分类推进).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Maturity {
    Tracking,
    SiteVisit,
    Intent,
    AwaitingSignature,
}

impl Maturity {
    pub const ALL: [Maturity; 4] = [
        Maturity::Tracking,
        Maturity::SiteVisit,
        Maturity::Intent,
        Maturity::AwaitingSignature,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Maturity::Tracking => "跟踪洽谈",
            Maturity::SiteVisit => "实地考察",
            Maturity::Intent => "意向明确",
            Maturity::AwaitingSignature => "协议待签",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Maturity::Tracking => "tracking",
            Maturity::SiteVisit => "site_visit",
            Maturity::Intent => "intent",
            Maturity::AwaitingSignature => "awaiting_signature",
        }
    }
    pub fn parse(s: &str) -> Option<Maturity> {
        Maturity::ALL
            .into_iter()
            .find(|m| m.code() == s.trim() || m.label() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("项目已{}，不能再变更阶段", .0.label())]
    Final(Stage),
    #[error("不能从“{}”直接变更为“{}”", .from.label(), .to.label())]
    NotAllowed { from: Stage, to: Stage },
    #[error("“{}”早于当前阶段“{}”，阶段不能倒退", .to.label(), .from.label())]
    Backward { from: Stage, to: Stage },
    #[error("终止项目必须填写原因")]
    ReasonRequired,
    #[error("变更日期不能晚于今天")]
    FutureDate,
    #[error("变更日期不能早于上一次变更（{0}）")]
    BeforePrevious(NaiveDate),
}

/// A validated stage change, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Stage,
    pub to: Stage,
    pub date: NaiveDate,
    pub reason: Option<String>,
}

impl Transition {
    /// Checks a requested change against the rules above.
    pub fn new(
        from: Stage,
        to: Stage,
        date: NaiveDate,
        last_change: Option<NaiveDate>,
        today: NaiveDate,
        reason: Option<&str>,
    ) -> Result<Transition, TransitionError> {
        if from.is_final() {
            return Err(TransitionError::Final(from));
        }
        if !from.allowed_next().contains(&to) {
            return Err(TransitionError::NotAllowed { from, to });
        }
        Transition::dated(from, to, date, last_change, today, reason)
    }

    /// A change stated by an imported sheet, which records where a project stands now rather
    /// than each step: forward by any number of stages (or 终止), never back; otherwise the
    /// same rules as [`Transition::new`].
    pub fn catch_up(
        from: Stage,
        to: Stage,
        date: NaiveDate,
        last_change: Option<NaiveDate>,
        today: NaiveDate,
        reason: Option<&str>,
    ) -> Result<Transition, TransitionError> {
        if from.is_final() {
            return Err(TransitionError::Final(from));
        }
        let later =
            |a: Stage, b: Stage| std::iter::successors(a.next(), |s| s.next()).any(|s| s == b);
        if later(to, from) {
            return Err(TransitionError::Backward { from, to });
        }
        if !later(from, to) && !from.allowed_next().contains(&to) {
            return Err(TransitionError::NotAllowed { from, to });
        }
        Transition::dated(from, to, date, last_change, today, reason)
    }

    /// The rules on the reason and the date, once the stages are allowed.
    fn dated(
        from: Stage,
        to: Stage,
        date: NaiveDate,
        last_change: Option<NaiveDate>,
        today: NaiveDate,
        reason: Option<&str>,
    ) -> Result<Transition, TransitionError> {
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        if to == Stage::Terminated && reason.is_none() {
            return Err(TransitionError::ReasonRequired);
        }
        if date > today {
            return Err(TransitionError::FutureDate);
        }
        if let Some(last) = last_change
            && date < last
        {
            return Err(TransitionError::BeforePrevious(last));
        }
        Ok(Transition {
            from,
            to,
            date,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_import_catches_up_forward_but_never_back() {
        let today = d("2024-06-30");
        let jump = Transition::catch_up(
            Stage::Lead,
            Stage::Started,
            d("2024-03-01"),
            None,
            today,
            None,
        );
        assert_eq!(jump.unwrap().to, Stage::Started);
        let back = Transition::catch_up(
            Stage::Started,
            Stage::Signed,
            d("2024-03-01"),
            None,
            today,
            None,
        );
        assert_eq!(
            back,
            Err(TransitionError::Backward {
                from: Stage::Started,
                to: Stage::Signed
            })
        );
        let early = Transition::catch_up(
            Stage::Signed,
            Stage::Started,
            d("2024-01-01"),
            Some(d("2024-02-01")),
            today,
            None,
        );
        assert_eq!(early, Err(TransitionError::BeforePrevious(d("2024-02-01"))));
        assert_eq!(
            Transition::catch_up(Stage::Terminated, Stage::Started, today, None, today, None),
            Err(TransitionError::Final(Stage::Terminated))
        );
    }

    #[test]
    fn moves_forward_one_stage_at_a_time() {
        let today = d("2024-06-30");
        let t = Transition::new(
            Stage::Signed,
            Stage::Started,
            d("2024-03-01"),
            Some(d("2024-01-05")),
            today,
            None,
        );
        assert_eq!(t.unwrap().to, Stage::Started);
        let skip = Transition::new(
            Stage::Signed,
            Stage::Completed,
            d("2024-03-01"),
            None,
            today,
            None,
        );
        assert_eq!(
            skip,
            Err(TransitionError::NotAllowed {
                from: Stage::Signed,
                to: Stage::Completed
            })
        );
        let back = Transition::new(
            Stage::Started,
            Stage::Signed,
            d("2024-03-01"),
            None,
            today,
            None,
        );
        assert!(matches!(back, Err(TransitionError::NotAllowed { .. })));
    }

    #[test]
    fn termination_needs_a_reason_and_is_final() {
        let today = d("2024-06-30");
        let no_reason = Transition::new(
            Stage::Negotiating,
            Stage::Terminated,
            today,
            None,
            today,
            Some("  "),
        );
        assert_eq!(no_reason, Err(TransitionError::ReasonRequired));
        let ok = Transition::new(
            Stage::Negotiating,
            Stage::Terminated,
            today,
            None,
            today,
            Some("投资方撤回"),
        );
        assert_eq!(ok.unwrap().reason.as_deref(), Some("投资方撤回"));
        let after = Transition::new(Stage::Terminated, Stage::Signed, today, None, today, None);
        assert_eq!(after, Err(TransitionError::Final(Stage::Terminated)));
        let done = Transition::new(
            Stage::FullProduction,
            Stage::Terminated,
            today,
            None,
            today,
            Some("x"),
        );
        assert_eq!(done, Err(TransitionError::Final(Stage::FullProduction)));
    }

    #[test]
    fn dates_never_go_backwards_or_into_the_future() {
        let today = d("2024-06-30");
        let fut = Transition::new(
            Stage::Lead,
            Stage::Negotiating,
            d("2024-07-01"),
            None,
            today,
            None,
        );
        assert_eq!(fut, Err(TransitionError::FutureDate));
        let before = Transition::new(
            Stage::Lead,
            Stage::Negotiating,
            d("2024-01-01"),
            Some(d("2024-02-01")),
            today,
            None,
        );
        assert_eq!(
            before,
            Err(TransitionError::BeforePrevious(d("2024-02-01")))
        );
        let same_day = Transition::new(
            Stage::Lead,
            Stage::Negotiating,
            d("2024-02-01"),
            Some(d("2024-02-01")),
            today,
            None,
        );
        assert!(same_day.is_ok());
    }

    #[test]
    fn every_open_stage_can_be_terminated() {
        for s in Stage::ALL.into_iter().filter(|s| !s.is_final()) {
            assert!(s.allowed_next().contains(&Stage::Terminated), "{s:?}");
        }
    }

    #[test]
    fn parses_the_words_offices_use() {
        assert_eq!(Stage::parse("已签约"), Some(Stage::Signed));
        assert_eq!(Stage::parse("在建"), Some(Stage::Started));
        assert_eq!(Stage::parse("full_production"), Some(Stage::FullProduction));
        assert_eq!(Stage::parse("随便"), None);
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.label()), Some(s));
            assert_eq!(Stage::parse(s.code()), Some(s));
        }
    }
}
