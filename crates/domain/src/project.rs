//! A project (项目) from first lead to full production: its vocabularies and the validation
//! that turns what a person typed into a [`ProjectDraft`] or a list of field errors in Chinese.

use crate::code::ProjectCode;
use crate::money::{Currency, UsdRate, Yuan, decimal_to_scaled};
use crate::stage::{Maturity, Stage};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary with a stable code and a Chinese label.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.label() == s)
            }
        }
    };
}

vocabulary!(
    /// 项目类型.
    Kind {
        Industrial => ("industrial", "产业项目"),
        Infrastructure => ("infrastructure", "基础设施"),
        CultureTourism => ("culture_tourism", "文旅"),
        Social => ("social", "社会民生"),
        Research => ("research", "科研机构"),
        Talent => ("talent", "人才项目"),
    }
);

vocabulary!(
    /// 来源地 of the investor.
    Origin {
        Shanghai => ("shanghai", "上海"),
        Jiangsu => ("jiangsu", "江苏"),
        Anhui => ("anhui", "安徽"),
        Province => ("province", "省内市外"),
        Local => ("local", "市内"),
        Domestic => ("domestic", "国内其他"),
        Abroad => ("abroad", "境外"),
    }
);

vocabulary!(
    /// Marks the office tracks on an investor.
    Flag {
        ChainLeader => ("chain_leader", "链主"),
        Global500 => ("global500", "世界500强"),
        China500 => ("china500", "中国500强"),
        CentralSoe => ("central_soe", "央企"),
        IndustryLeader => ("industry_leader", "行业龙头"),
        Gazelle => ("gazelle", "瞪羚"),
        Unicorn => ("unicorn", "独角兽"),
    }
);

/// Flags stored as a comma-separated list of codes.
pub fn flags_to_text(flags: &[Flag]) -> String {
    flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
}

pub fn flags_from_text(text: &str) -> Vec<Flag> {
    text.split(',').filter_map(Flag::parse).collect()
}

/// What a person typed into the project form (or sent to the API), all as text: codes for
/// vocabularies (kind, stage, origin, flags …), decimal text for amounts, YYYY-MM-DD for dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub kind: String,
    pub stage: String,
    pub maturity: String,
    pub stage_date: String,
    /// 签约日期: required once a project is signed.
    pub signed_on: String,
    pub investor: String,
    pub summary: String,
    pub currency: String,
    /// Agreed investment in 万 of the currency (万元 or 万美元).
    pub investment_wan: String,
    pub usd_rate: String,
    pub rate_date: String,
    /// Funds arrived, 万元.
    pub arrived_wan: String,
    pub origin: String,
    pub origin_detail: String,
    pub industry_id: String,
    pub chain_id: String,
    pub flags: Vec<String>,
    pub district_code: String,
    pub platform_id: String,
    pub land_mu: String,
    pub leader_id: String,
    pub unit_id: String,
    pub promoter: String,
    pub commissioner: String,
    pub signing_event_id: String,
    pub project_code: String,
    /// "list_id:year" pairs.
    pub lists: Vec<String>,
}

/// A validated project, ready for the store. Money is exact yuan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDraft {
    pub name: String,
    pub kind: Kind,
    /// Initial stage (only used on create; later changes go through transitions).
    pub stage: Stage,
    pub maturity: Option<Maturity>,
    pub stage_date: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub investor: String,
    pub summary: String,
    pub currency: Currency,
    /// Agreed amount in the agreement's currency (元 or US$).
    pub investment_orig: Yuan,
    pub usd_rate: Option<UsdRate>,
    pub rate_date: Option<NaiveDate>,
    /// Agreed amount in CNY; tiers count on this.
    pub investment_cny: Yuan,
    pub arrived: Yuan,
    pub origin: Origin,
    pub origin_detail: String,
    pub industry_id: Option<i64>,
    pub chain_id: Option<i64>,
    pub flags: Vec<Flag>,
    pub district_code: String,
    pub platform_id: Option<i64>,
    /// Land in hundredths of a 亩.
    pub land_mu_x100: Option<i64>,
    pub leader_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub promoter: String,
    pub commissioner: String,
    pub signing_event_id: Option<i64>,
    pub project_code: Option<ProjectCode>,
    pub lists: Vec<(i64, i32)>,
}

/// One problem with one field, in Chinese, for display next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    // 2024-03-15, as every stored date is written: read without chrono's format parser (an
    // import reads three a row).
    let b = t.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        let n = |from: usize, to: usize| t[from..to].parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(i32::try_from(n(0, 4)?).ok()?, n(5, 7)?, n(8, 10)?);
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
}

/// Land area in hundredths of a 亩.
pub fn land_text(x100: i64) -> String {
    let s = format!("{}.{:02}", x100 / 100, x100 % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl ProjectInput {
    /// Validates every field and reports all problems at once. `today` bounds dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ProjectDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };

        let name = self.name.trim().to_string();
        if name.is_empty() {
            err("name", "请填写项目名称".into());
        } else if name.chars().count() > 100 {
            err("name", "项目名称不能超过100个字".into());
        }
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            err("kind", "请选择项目类型".into());
        }
        let stage = if self.stage.trim().is_empty() {
            Some(Stage::Lead)
        } else {
            Stage::parse(&self.stage)
        };
        if stage.is_none() {
            err("stage", "请选择项目阶段".into());
        }
        let maturity = if self.maturity.trim().is_empty() {
            None
        } else {
            Maturity::parse(&self.maturity)
        };
        if !self.maturity.trim().is_empty() && maturity.is_none() {
            err("maturity", "洽谈成熟度无效".into());
        }
        let stage_date = if self.stage_date.trim().is_empty() {
            Some(today)
        } else {
            match parse_date(&self.stage_date) {
                Some(d) if d > today => {
                    err("stage_date", "阶段日期不能晚于今天".into());
                    None
                }
                Some(d) => Some(d),
                None => {
                    err(
                        "stage_date",
                        format!(
                            "“{}”不是有效日期，请写成 2024-03-05",
                            self.stage_date.trim()
                        ),
                    );
                    None
                }
            }
        };
        let signed_on = match (self.signed_on.trim(), stage) {
            ("", Some(Stage::Signed)) => stage_date,
            ("", Some(s)) if s.is_signed() => {
                err("signed_on", "已签约项目请填写签约日期".into());
                None
            }
            ("", _) => None,
            (text, _) => match parse_date(text) {
                Some(d) if d > today => {
                    err("signed_on", "签约日期不能晚于今天".into());
                    None
                }
                Some(d)
                    if stage.is_some_and(|s| s.is_signed() && s != Stage::Signed)
                        && stage_date.is_some_and(|sd| d > sd) =>
                {
                    err("signed_on", "签约日期不能晚于进入当前阶段的日期".into());
                    None
                }
                Some(d) => Some(d),
                None => {
                    err(
                        "signed_on",
                        format!("“{text}”不是有效日期，请写成 2024-03-05"),
                    );
                    None
                }
            },
        };
        let currency = Currency::parse(&self.currency);
        if currency.is_none() {
            err("currency", "币种只能是人民币或美元".into());
        }
        let investment_orig = match decimal_to_scaled(&self.investment_wan, 10_000) {
            Ok(v) => Some(Yuan(v)),
            Err(e) => {
                err("investment_wan", format!("协议投资：{e}"));
                None
            }
        };
        let mut usd_rate = None;
        let mut rate_date = None;
        if currency == Some(Currency::Usd) {
            match UsdRate::parse(&self.usd_rate) {
                Ok(r) if (10_000..=200_000).contains(&r.0) => usd_rate = Some(r),
                Ok(_) => err("usd_rate", "汇率应在 1 到 20 之间".into()),
                Err(_) => err("usd_rate", "美元项目请填写汇率，如 7.1884".into()),
            }
            match parse_date(&self.rate_date) {
                Some(d) if d <= today => rate_date = Some(d),
                Some(_) => err("rate_date", "汇率日期不能晚于今天".into()),
                None => err("rate_date", "美元项目请填写汇率日期".into()),
            }
        }
        let investment_cny = match (currency, investment_orig, usd_rate) {
            (Some(Currency::Cny), Some(v), _) => Some(v),
            (Some(Currency::Usd), Some(v), Some(r)) => Some(r.to_cny(v)),
            _ => None,
        };
        let arrived = if self.arrived_wan.trim().is_empty() {
            Some(Yuan::ZERO)
        } else {
            match Yuan::parse_wan(&self.arrived_wan) {
                Ok(v) => Some(v),
                Err(e) => {
                    err("arrived_wan", format!("实际到位：{e}"));
                    None
                }
            }
        };
        let origin = Origin::parse(&self.origin);
        if origin.is_none() {
            err("origin", "请选择来源地".into());
        }
        if origin == Some(Origin::Abroad) && self.origin_detail.trim().is_empty() {
            err("origin_detail", "境外项目请填写国家或地区".into());
        }
        let mut flags = Vec::new();
        for f in &self.flags {
            match Flag::parse(f) {
                Some(flag) if !flags.contains(&flag) => flags.push(flag),
                Some(_) => {}
                None => err("flags", format!("未知的企业标签“{f}”")),
            }
        }
        let district_code = self.district_code.trim().to_string();
        if district_code.is_empty() {
            err("district_code", "请选择所属区县".into());
        }
        let mut id_field = |field: &str, label: &str, text: &str| -> Option<i64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(FieldError {
                        field: field.into(),
                        message: format!("{label}无效"),
                    });
                    None
                }
            }
        };
        let industry_id = id_field("industry_id", "产业", &self.industry_id);
        let chain_id = id_field("chain_id", "产业链", &self.chain_id);
        let platform_id = id_field("platform_id", "平台", &self.platform_id);
        let leader_id = id_field("leader_id", "联系领导", &self.leader_id);
        let unit_id = id_field("unit_id", "责任单位", &self.unit_id);
        let signing_event_id = id_field("signing_event_id", "签约活动", &self.signing_event_id);
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let land_mu_x100 = if self.land_mu.trim().is_empty() {
            None
        } else {
            match decimal_to_scaled(&self.land_mu, 100) {
                Ok(v) => Some(v),
                Err(_) => {
                    err("land_mu", "用地面积应为不小于0的数字，最多两位小数".into());
                    None
                }
            }
        };
        let project_code = if self.project_code.trim().is_empty() {
            None
        } else {
            match ProjectCode::parse(&self.project_code) {
                Ok(c) => Some(c),
                Err(e) => {
                    err("project_code", e.to_string());
                    None
                }
            }
        };
        let mut lists = Vec::new();
        for l in &self.lists {
            let parsed = l
                .split_once(':')
                .and_then(|(id, year)| {
                    Some((
                        id.trim().parse::<i64>().ok()?,
                        year.trim().parse::<i32>().ok()?,
                    ))
                })
                .filter(|(_, y)| (2000..=2100).contains(y));
            match parsed {
                Some(p) if !lists.contains(&p) => lists.push(p),
                Some(_) => {}
                None => err("lists", format!("清单“{l}”无效")),
            }
        }
        for (field, value, max) in [
            ("investor", &self.investor, 100),
            ("summary", &self.summary, 2000),
            ("promoter", &self.promoter, 50),
            ("commissioner", &self.commissioner, 50),
            ("origin_detail", &self.origin_detail, 50),
        ] {
            if value.trim().chars().count() > max {
                err(field, format!("不能超过{max}个字"));
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        // Every Option below is Some when no error was recorded.
        match (
            kind,
            stage,
            stage_date,
            currency,
            investment_orig,
            investment_cny,
            arrived,
            origin,
        ) {
            (
                Some(kind),
                Some(stage),
                Some(stage_date),
                Some(currency),
                Some(investment_orig),
                Some(investment_cny),
                Some(arrived),
                Some(origin),
            ) => Ok(ProjectDraft {
                name,
                kind,
                stage,
                maturity: if stage == Stage::Negotiating {
                    maturity
                } else {
                    None
                },
                stage_date,
                signed_on: if stage.is_signed() || stage == Stage::Terminated {
                    signed_on
                } else {
                    None
                },
                investor: self.investor.trim().to_string(),
                summary: self.summary.trim().to_string(),
                currency,
                investment_orig,
                usd_rate,
                rate_date,
                investment_cny,
                arrived,
                origin,
                origin_detail: self.origin_detail.trim().to_string(),
                industry_id,
                chain_id,
                flags,
                district_code,
                platform_id,
                land_mu_x100,
                leader_id,
                unit_id,
                promoter: self.promoter.trim().to_string(),
                commissioner: self.commissioner.trim().to_string(),
                signing_event_id,
                project_code,
                lists,
            }),
            _ => Err(vec![FieldError {
                field: "name".into(),
                message: "表单内容不完整".into(),
            }]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_each_form_the_form_accepts() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        for (text, want) in [
            ("2024-03-15", d(2024, 3, 15)),
            (" 2024-03-15 ", d(2024, 3, 15)),
            ("2024-3-5", d(2024, 3, 5)),
            ("2024/03/15", d(2024, 3, 15)),
            ("2024.3.15", d(2024, 3, 15)),
            ("2024年3月15日", d(2024, 3, 15)),
            ("2024-02-30", None),
            ("2024-13-01", None),
            ("2024-0a-01", None),
            ("2024-03-1５", None),
            ("", None),
        ] {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
    }

    fn valid() -> ProjectInput {
        ProjectInput {
            name: "年产10万台新能源汽车电驱系统项目".into(),
            kind: "industrial".into(),
            stage: "signed".into(),
            stage_date: "2024-03-05".into(),
            currency: "CNY".into(),
            investment_wan: "120000".into(),
            origin: "shanghai".into(),
            district_code: "330522".into(),
            flags: vec!["chain_leader".into()],
            lists: vec!["1:2024".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_draft() {
        let d = valid().validate(today()).unwrap();
        assert_eq!(d.investment_cny, Yuan::from_yi(12));
        assert_eq!(d.flags, vec![Flag::ChainLeader]);
        assert_eq!(d.lists, vec![(1, 2024)]);
    }

    #[test]
    fn every_error_is_reported_against_its_field() {
        let input = ProjectInput {
            name: " ".into(),
            investment_wan: "一亿".into(),
            project_code: "2024-1".into(),
            stage_date: "2099-01-01".into(),
            ..valid()
        };
        let errors = input.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["name", "stage_date", "investment_wan", "project_code"]
        );
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn usd_needs_a_dated_rate_and_converts_exactly() {
        let mut input = ProjectInput {
            currency: "USD".into(),
            investment_wan: "15000".into(),
            ..valid()
        };
        let errors = input.validate(today()).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            vec!["usd_rate", "rate_date"]
        );
        input.usd_rate = "7.1".into();
        input.rate_date = "2024-03-01".into();
        let d = input.validate(today()).unwrap();
        assert_eq!(d.investment_orig, Yuan(150_000_000));
        assert_eq!(d.investment_cny, Yuan(1_065_000_000));
    }

    #[test]
    fn a_project_cannot_be_signed_after_it_started() {
        let input = ProjectInput {
            stage: "started".into(),
            stage_date: "2024-03-01".into(),
            signed_on: "2024-04-01".into(),
            ..valid()
        };
        assert_eq!(input.validate(today()).unwrap_err()[0].field, "signed_on");
        let ok = ProjectInput {
            signed_on: "2024-01-15".into(),
            ..input
        };
        assert_eq!(
            ok.validate(today()).unwrap().signed_on,
            NaiveDate::from_ymd_opt(2024, 1, 15)
        );
    }

    #[test]
    fn abroad_needs_a_country() {
        let input = ProjectInput {
            origin: "abroad".into(),
            ..valid()
        };
        assert_eq!(
            input.validate(today()).unwrap_err()[0].field,
            "origin_detail"
        );
    }

    #[test]
    fn land_is_kept_in_hundredths() {
        let d = ProjectInput {
            land_mu: "85.5".into(),
            ..valid()
        }
        .validate(today())
        .unwrap();
        assert_eq!(d.land_mu_x100, Some(8550));
        assert_eq!(land_text(8550), "85.5");
        assert_eq!(land_text(200), "2");
    }
}
