//! A stale save (someone else saved the record after this form was read) never overwrites
//! silently and never loses what was typed: the form comes back with the user's own values,
//! and above it a table shows, field by field, where they differ from the version saved
//! meanwhile, with who saved it and when. Saving again then applies the user's values over
//! that version (the form carries its version); following the link discards them.
//!
//! Every form over a versioned record renders [`Conflict`] through `templates/conflict.html`.
//! A small form inside a page (a table row's inputs), which the page fills from the latest
//! version, keeps the user's values in the conflict notice instead: [`Conflict::with_resubmit`]
//! posts them again with one button.

use crate::error::AppError;
use hezuo_store::Store;

/// One field where the two versions differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub label: String,
    /// What the user typed (as the form shows it: option labels, not ids).
    pub mine: String,
    /// What the latest version holds.
    pub theirs: String,
}

/// What a stale save shows above the form it re-renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Who saved the latest version ("显示名（用户名）"), or "其他用户" if unknown.
    pub who: String,
    /// When, Beijing time.
    pub at: String,
    /// Only the fields that differ, in the form's order.
    pub rows: Vec<ConflictRow>,
    /// The record's page, showing the latest version.
    pub latest_href: String,
    /// For a small form inside a page (a table row's inputs), whose inputs the page fills from
    /// the latest version: the user's values, to save again with one button.
    pub resubmit: Option<Resubmit>,
    /// When the latest version can no longer be changed (an objection already answered): why,
    /// shown instead of the offer to save again; what was typed is still listed.
    pub closed: String,
}

/// A form of hidden inputs that posts the user's values again, over the latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resubmit {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// A field's label with the user's value and the latest version's, for [`Conflict::load`].
pub type Pair = (String, String, String);

/// A labelled pair, with the values trimmed.
pub fn pair(label: &str, mine: impl AsRef<str>, theirs: impl AsRef<str>) -> Pair {
    (
        label.to_string(),
        mine.as_ref().trim().to_string(),
        theirs.as_ref().trim().to_string(),
    )
}

/// A form's fields as shown for the user's values and for the latest version (the same labels
/// in the same order), paired field by field.
pub fn side_by_side<L: AsRef<str>>(mine: Vec<(L, String)>, theirs: Vec<(L, String)>) -> Vec<Pair> {
    mine.into_iter()
        .zip(theirs)
        .map(|((label, mine), (_, theirs))| pair(label.as_ref(), mine, theirs))
        .collect()
}

impl Conflict {
    /// The comparison of the user's values with the latest version of `entity` `id`: only
    /// differing fields are kept; an empty value reads "（空）".
    pub async fn load(
        store: &Store,
        entity: &str,
        id: i64,
        latest_href: impl Into<String>,
        pairs: impl IntoIterator<Item = Pair>,
    ) -> Result<Conflict, AppError> {
        let last = store.last_change(entity, id).await?;
        let (who, at) = match last {
            Some(c) => (
                match (c.display_name.is_empty(), c.username.is_empty()) {
                    (false, false) => format!("{}（{}）", c.display_name, c.username),
                    (true, false) => c.username,
                    _ => "其他用户".to_string(),
                },
                crate::views::beijing_time(&c.at),
            ),
            None => ("其他用户".to_string(), String::new()),
        };
        Ok(Conflict {
            who,
            at,
            rows: differing(pairs),
            latest_href: latest_href.into(),
            resubmit: None,
            closed: String::new(),
        })
    }

    /// The latest version is final: `why` is shown instead of the offer to save again.
    pub fn closed(mut self, why: impl Into<String>) -> Conflict {
        self.closed = why.into();
        self
    }

    /// Offers to post `fields` (the user's values, with the latest version) to `action`.
    pub fn with_resubmit(
        mut self,
        action: impl Into<String>,
        fields: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Conflict {
        self.resubmit = Some(Resubmit {
            action: action.into(),
            fields: fields
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        });
        self
    }
}

/// A review (确认 or 退回 with a reason) sent against a version that is no longer the latest:
/// the decision and reason typed beside the report's status and reason now. While the report
/// still awaits review, one button sends the same decision again over the latest version
/// (`fields` are the review form's other inputs); once reviewed, it is final.
pub struct StaleReview<'a> {
    pub entity: &'a str,
    pub id: i64,
    pub latest_href: String,
    /// The review form's action and its inputs besides `decision`, `reason` and `version`.
    pub action: String,
    pub fields: Vec<(&'static str, String)>,
    /// What the user sent.
    pub decision: &'a str,
    pub reason: &'a str,
    /// The report now: submitted, accepted or returned; its return reason; its version.
    pub status: &'a str,
    pub latest_reason: &'a str,
    pub version: i64,
}

impl StaleReview<'_> {
    pub async fn conflict(self, store: &Store) -> Result<Conflict, AppError> {
        let decision = match self.decision {
            "accept" => "确认",
            "return" => "退回",
            _ => "",
        };
        let status = match self.status {
            "accepted" => "已确认",
            "returned" => "已退回",
            _ => "待审核",
        };
        let pairs = [
            pair("审核结果", decision, status),
            pair("退回原因", self.reason, self.latest_reason),
        ];
        let conflict = Conflict::load(store, self.entity, self.id, self.latest_href, pairs).await?;
        Ok(if self.status == "submitted" {
            let mut fields = self.fields;
            fields.extend([
                ("decision", self.decision.to_string()),
                ("reason", self.reason.to_string()),
                ("version", self.version.to_string()),
            ]);
            conflict.with_resubmit(self.action, fields)
        } else {
            conflict.closed("这份报告已经审核过，不能再次审核。")
        })
    }
}

fn shown(v: String) -> String {
    if v.is_empty() {
        "（空）".to_string()
    } else {
        v
    }
}

fn differing(pairs: impl IntoIterator<Item = Pair>) -> Vec<ConflictRow> {
    pairs
        .into_iter()
        .filter(|(_, mine, theirs)| mine != theirs)
        .map(|(label, mine, theirs)| ConflictRow {
            label,
            mine: shown(mine),
            theirs: shown(theirs),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{ConflictRow, differing, pair};

    #[test]
    fn only_the_fields_that_differ_are_shown_and_empty_reads_as_such() {
        let rows = differing(vec![
            pair("项目名称", "新能源电池项目", "新能源电池项目"),
            pair("总投资（万元）", " 52000 ", "50000"),
            pair("备注", "", "已报省发改委"),
        ]);
        assert_eq!(
            rows,
            vec![
                ConflictRow {
                    label: "总投资（万元）".into(),
                    mine: "52000".into(),
                    theirs: "50000".into()
                },
                ConflictRow {
                    label: "备注".into(),
                    mine: "（空）".into(),
                    theirs: "已报省发改委".into()
                },
            ]
        );
    }
}
