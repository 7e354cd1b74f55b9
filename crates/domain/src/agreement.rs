//! Cooperation agreements (合作协议) with partner cities, districts and bodies: what is typed,
//! and how much of an agreement is being carried out through the key items made of its clauses.

use crate::key_item::{ItemStatus, due_date, split_names};
use crate::project::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who the office signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartnerKind {
    /// 市 (a city, e.g. 黄山市).
    City,
    /// 区县 (a district or county, e.g. 上海市松江区).
    District,
    /// 机构 (a body: a business district, park, university, company).
    Body,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 3] = [PartnerKind::City, PartnerKind::District, PartnerKind::Body];

    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::City => "city",
            PartnerKind::District => "district",
            PartnerKind::Body => "body",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerKind::City => "城市",
            PartnerKind::District => "区县",
            PartnerKind::Body => "机构",
        }
    }

    pub fn parse(s: &str) -> Option<PartnerKind> {
        PartnerKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || k.label() == s.trim())
    }
}

/// An agreement as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AgreementInput {
    pub title: String,
    /// The partner's name, e.g. 上海市松江区.
    pub partner: String,
    /// city, district or body (or 城市/区县/机构).
    pub partner_kind: String,
    /// The partner's province-level region: 上海市, 江苏省, 安徽省, 浙江省 …
    pub partner_province: String,
    /// YYYY-MM-DD.
    pub signed_on: String,
    /// 签约层级, e.g. 市级, 县区级, 部门级.
    pub level: String,
    /// 合作领域, separated by 、.
    pub fields: String,
    /// One clause per line.
    pub clauses: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub title: String,
    pub partner: String,
    pub partner_kind: PartnerKind,
    pub partner_province: String,
    pub signed_on: NaiveDate,
    pub level: String,
    pub fields: Vec<String>,
    pub clauses: Vec<String>,
}

impl AgreementInput {
    pub fn validate(&self) -> Result<Agreement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut need = |field: &str, value: &str, message: &str| {
            if value.trim().is_empty() {
                errors.push(FieldError {
                    field: field.into(),
                    message: message.into(),
                });
            }
        };
        need("title", &self.title, "请填写协议名称");
        need("partner", &self.partner, "请填写合作方");
        need("level", &self.level, "请填写签约层级");
        let kind = PartnerKind::parse(&self.partner_kind);
        if kind.is_none() {
            errors.push(FieldError {
                field: "partner_kind".into(),
                message: "请选择合作方类型（城市、区县或机构）".into(),
            });
        }
        let signed_on = due_date(&self.signed_on);
        if signed_on.is_none() {
            errors.push(FieldError {
                field: "signed_on".into(),
                message: if self.signed_on.trim().is_empty() {
                    "请填写签署日期".into()
                } else {
                    format!("“{}”不是有效日期，请写成 2019-08-22", self.signed_on.trim())
                },
            });
        }
        for (field, label, value, max) in [
            ("title", "协议名称", &self.title, 200),
            ("partner", "合作方", &self.partner, 100),
        ] {
            if value.trim().chars().count() > max {
                errors.push(FieldError {
                    field: field.into(),
                    message: format!("{label}不能超过{max}字"),
                });
            }
        }
        let clauses: Vec<String> = self
            .clauses
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(long) = clauses.iter().position(|c| c.chars().count() > 1000) {
            errors.push(FieldError {
                field: "clauses".into(),
                message: format!("第{}条条款超过1000字", long + 1),
            });
        }
        match (kind, signed_on) {
            (Some(partner_kind), Some(signed_on)) if errors.is_empty() => Ok(Agreement {
                title: self.title.trim().to_string(),
                partner: self.partner.trim().to_string(),
                partner_kind,
                partner_province: self.partner_province.trim().to_string(),
                signed_on,
                level: self.level.trim().to_string(),
                fields: split_names(&self.fields),
                clauses,
            }),
            _ => Err(errors),
        }
    }
}

/// How far an agreement is carried out, clause by clause ([`ClauseState`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Fulfilment {
    pub clauses: u32,
    /// Clauses with at least one key item.
    pub broken_down: u32,
    /// Clauses whose items are all done.
    pub carried_out: u32,
}

/// One clause, from the statuses of the key items made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClauseState {
    /// 未分解: no key item carries it yet.
    NotBrokenDown,
    /// 落实中: it has items, not all done.
    InProgress,
    /// 已落实: every item made of it is done.
    CarriedOut,
}

impl ClauseState {
    pub fn of(items: &[ItemStatus]) -> ClauseState {
        if items.is_empty() {
            ClauseState::NotBrokenDown
        } else if items.iter().all(|s| *s == ItemStatus::Done) {
            ClauseState::CarriedOut
        } else {
            ClauseState::InProgress
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClauseState::NotBrokenDown => "未分解",
            ClauseState::InProgress => "落实中",
            ClauseState::CarriedOut => "已落实",
        }
    }
}

impl Fulfilment {
    /// `clauses` holds, for each clause, the statuses of the items made of it.
    pub fn of(clauses: &[Vec<ItemStatus>]) -> Fulfilment {
        let mut f = Fulfilment {
            clauses: clauses.len() as u32,
            ..Fulfilment::default()
        };
        for items in clauses {
            let state = ClauseState::of(items);
            f.broken_down += u32::from(state != ClauseState::NotBrokenDown);
            f.carried_out += u32::from(state == ClauseState::CarriedOut);
        }
        f
    }

    /// Share of clauses carried out, as a percentage with one decimal ("62.5%"), or "—".
    pub fn rate_text(&self) -> String {
        crate::figures::Ratio::new(i64::from(self.carried_out), i64::from(self.clauses))
            .map_or_else(|| "—".into(), |r| r.percent_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemStatus::*;

    #[test]
    fn an_agreement_is_carried_out_clause_by_clause() {
        let f = Fulfilment::of(&[vec![Done, Done], vec![Done, Lagging], vec![], vec![Done]]);
        assert_eq!(
            f,
            Fulfilment {
                clauses: 4,
                broken_down: 3,
                carried_out: 2
            }
        );
        assert_eq!(f.rate_text(), "50.0%");
        assert_eq!(
            Fulfilment::of(&[vec![Done], vec![], vec![InProgress]]).rate_text(),
            "33.3%"
        );
        assert_eq!(Fulfilment::of(&[]).rate_text(), "—");
    }

    #[test]
    fn agreement_input_keeps_clauses_line_by_line() {
        let a = AgreementInput {
            title: "湖州市—松江区一体化合作框架协议".into(),
            partner: "上海市松江区".into(),
            partner_kind: "区县".into(),
            partner_province: "上海市".into(),
            signed_on: "2019年8月22日".into(),
            level: "市级".into(),
            fields: "产业协同、科技创新、交通互联".into(),
            clauses: "共建G60科创走廊产业合作园\n\n  推动沪苏湖铁路建设  \n".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(
            a.clauses,
            ["共建G60科创走廊产业合作园", "推动沪苏湖铁路建设"]
        );
        assert_eq!(a.fields.len(), 3);
        assert_eq!(a.partner_kind, PartnerKind::District);
    }

    #[test]
    fn agreement_input_names_every_missing_field() {
        let errors = AgreementInput {
            signed_on: "八月".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["title", "partner", "level", "partner_kind", "signed_on"]
        );
        assert!(errors[4].message.contains("八月"));
    }
}
