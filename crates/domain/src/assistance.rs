//! Paired assistance (对口工作): programmes by type and partner region, their indicators against
//! the province's targets with a status read against time elapsed, and the arithmetic of
//! assistance funds (a fund never pays out more than was allocated to it).

use crate::money::Yuan;
use crate::progress::Month;
use crate::project::FieldError;
use serde::{Deserialize, Serialize};

/// The kinds of paired work an office reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProgrammeKind {
    /// 对口支援 · 援疆.
    AidXinjiang,
    /// 对口支援 · 援青.
    AidQinghai,
    /// 东西部协作.
    EastWest,
    /// 山海协作 (within the province).
    MountainSea,
    /// 省际合作, e.g. 浙吉合作.
    Interprovincial,
}

impl ProgrammeKind {
    pub const ALL: [ProgrammeKind; 5] = [
        ProgrammeKind::AidXinjiang,
        ProgrammeKind::AidQinghai,
        ProgrammeKind::EastWest,
        ProgrammeKind::MountainSea,
        ProgrammeKind::Interprovincial,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProgrammeKind::AidXinjiang => "aid_xinjiang",
            ProgrammeKind::AidQinghai => "aid_qinghai",
            ProgrammeKind::EastWest => "east_west",
            ProgrammeKind::MountainSea => "mountain_sea",
            ProgrammeKind::Interprovincial => "interprovincial",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProgrammeKind::AidXinjiang => "对口支援（援疆）",
            ProgrammeKind::AidQinghai => "对口支援（援青）",
            ProgrammeKind::EastWest => "东西部协作",
            ProgrammeKind::MountainSea => "山海协作",
            ProgrammeKind::Interprovincial => "省际合作",
        }
    }

    /// The word bulletins use: "援疆", "援青", "东西部协作" …
    pub fn short(self) -> &'static str {
        match self {
            ProgrammeKind::AidXinjiang => "援疆",
            ProgrammeKind::AidQinghai => "援青",
            ProgrammeKind::EastWest => "东西部协作",
            ProgrammeKind::MountainSea => "山海协作",
            ProgrammeKind::Interprovincial => "省际合作",
        }
    }

    pub fn parse(s: &str) -> Option<ProgrammeKind> {
        let s = s.trim();
        ProgrammeKind::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s || k.short() == s)
    }
}

/// An indicator's (or a programme's) standing against its target on a given month, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IndicatorStatus {
    /// Below the target's share for the time elapsed (at year end: below the target).
    Lagging,
    /// Below the target, at or above its share for the time elapsed.
    OnSchedule,
    /// Exactly the target.
    Completed,
    /// Above the target, the year over.
    Exceeded,
    /// Above the target before the year is over.
    ExceededEarly,
}

impl IndicatorStatus {
    /// Worst first.
    pub const ALL: [IndicatorStatus; 5] = [
        IndicatorStatus::Lagging,
        IndicatorStatus::OnSchedule,
        IndicatorStatus::Completed,
        IndicatorStatus::Exceeded,
        IndicatorStatus::ExceededEarly,
    ];

    pub fn parse(code: &str) -> Option<IndicatorStatus> {
        IndicatorStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            IndicatorStatus::Lagging => "lagging",
            IndicatorStatus::OnSchedule => "on_schedule",
            IndicatorStatus::Completed => "completed",
            IndicatorStatus::Exceeded => "exceeded",
            IndicatorStatus::ExceededEarly => "exceeded_early",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IndicatorStatus::Lagging => "滞后",
            IndicatorStatus::OnSchedule => "按序时推进",
            IndicatorStatus::Completed => "已完成",
            IndicatorStatus::Exceeded => "超额完成",
            IndicatorStatus::ExceededEarly => "提前超额完成",
        }
    }
}

/// An indicator's status: `actual` against `target` (same unit, any fixed scale) with
/// `months` of the year elapsed (12 once the year is over). On schedule means at least the
/// target's share for the months elapsed (target × months ÷ 12), compared exactly.
pub fn indicator_status(target: i64, actual: i64, months: u32) -> IndicatorStatus {
    let months = i128::from(months.min(12));
    let (target, actual) = (i128::from(target), i128::from(actual));
    if actual > target {
        if months < 12 {
            IndicatorStatus::ExceededEarly
        } else {
            IndicatorStatus::Exceeded
        }
    } else if actual == target {
        IndicatorStatus::Completed
    } else if actual * 12 >= target * months {
        IndicatorStatus::OnSchedule
    } else {
        IndicatorStatus::Lagging
    }
}

/// A programme stands where its worst indicator stands; `None` without indicators.
pub fn programme_status(indicators: &[IndicatorStatus]) -> Option<IndicatorStatus> {
    indicators.iter().min().copied()
}

/// Months of `year` elapsed in `month` (the month reported counts): 0 before the year, 12 after.
pub fn months_elapsed(year: i32, month: Month) -> u32 {
    if month.year < year {
        0
    } else if month.year > year {
        12
    } else {
        month.month
    }
}

/// The common indicators of paired work, with their units (the office may add others).
pub const COMMON_INDICATORS: [(&str, &str); 8] = [
    ("财政援助资金", "万元"),
    ("援助项目", "个"),
    ("消费帮扶", "万元"),
    ("劳动力培训", "人次"),
    ("选派干部人才", "人次"),
    ("引导落地企业", "家"),
    ("捐赠茶苗", "万株"),
    ("结对帮扶村", "个"),
];

/// Values are kept as hundredths so that 1.5万公斤 or 0.25万株 are exact.
pub const SCALE: i64 = 100;

/// An amount as typed ("1540", "1.5", "2,838", "１．５"), in hundredths; `None` if it is not a
/// non-negative number with at most two decimals.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t: String = text.chars().filter(|c| !matches!(c, ',' | '，')).collect();
    crate::money::decimal_to_scaled(&t, SCALE).ok()
}

/// Hundredths as text without trailing zeros: 154000 → "1540", 150 → "1.5".
pub fn amount_text(x100: i64) -> String {
    let s = format!("{}.{:02}", x100 / SCALE, (x100 % SCALE).abs());
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A disbursement from a fund: refused when not positive or when it would take the fund's
/// payments past what was allocated (the balance never goes below zero).
pub fn check_disbursement(allocated: Yuan, disbursed: Yuan, amount: Yuan) -> Result<(), String> {
    if amount.0 <= 0 {
        return Err("拨付金额应大于0".into());
    }
    let left = allocated.0 - disbursed.0;
    if amount.0 > left {
        return Err(format!(
            "拨付金额{}超过该资金的余额{}（已安排{}，已拨付{}）",
            amount,
            Yuan(left.max(0)),
            allocated,
            disbursed
        ));
    }
    Ok(())
}

/// A programme's name when none is given: "2024年援疆（新疆阿克苏地区柯坪县）".
pub fn default_name(year: i32, kind: ProgrammeKind, partner_region: &str) -> String {
    format!("{year}年{}（{partner_region}）", kind.short())
}

/// A programme as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    pub year: String,
    /// aid_xinjiang, aid_qinghai, east_west, mountain_sea, interprovincial (or the Chinese).
    pub kind: String,
    /// 结对地区, e.g. 新疆阿克苏地区柯坪县.
    pub partner_region: String,
    pub name: String,
    /// The on-site team (前方指挥部) unit id that runs it, if any.
    pub team_unit_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub year: i32,
    pub kind: ProgrammeKind,
    pub partner_region: String,
    pub name: String,
    pub team_unit_id: Option<i64>,
}

impl ProgrammeInput {
    pub fn validate(&self) -> Result<Programme, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            })
        };
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            err("year", "请填写年度，如 2024");
        }
        let kind = ProgrammeKind::parse(&self.kind);
        if kind.is_none() {
            err("kind", "请选择对口工作类型");
        }
        if self.partner_region.trim().is_empty() {
            err("partner_region", "请填写结对地区");
        }
        let team_unit_id = match self.team_unit_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    err("team_unit_id", "所选前方指挥部无效");
                    None
                }
            },
        };
        match (year, kind) {
            (Some(year), Some(kind)) if errors.is_empty() => {
                let name = match self.name.trim() {
                    "" => default_name(year, kind, self.partner_region.trim()),
                    n => n.to_string(),
                };
                Ok(Programme {
                    year,
                    kind,
                    partner_region: self.partner_region.trim().to_string(),
                    name,
                    team_unit_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A person dispatched (挂职干部, 专业技术人才, 柔性专家 …) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonInput {
    pub name: String,
    pub role: String,
    /// 第N批.
    pub batch: String,
    pub place: String,
    /// YYYY-MM-DD.
    pub start_on: String,
    /// YYYY-MM-DD, empty while serving.
    pub end_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub batch: String,
    pub place: String,
    pub start_on: chrono::NaiveDate,
    pub end_on: Option<chrono::NaiveDate>,
}

fn required(errors: &mut Vec<FieldError>, field: &str, value: &str, message: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
}

fn day(
    errors: &mut Vec<FieldError>,
    field: &str,
    label: &str,
    text: &str,
) -> Option<chrono::NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let d = crate::key_item::due_date(text);
    if d.is_none() {
        errors.push(FieldError {
            field: field.into(),
            message: format!("{label}“{}”不是有效日期，请写成 2024-03-01", text.trim()),
        });
    }
    d
}

impl PersonInput {
    pub fn validate(&self) -> Result<Person, Vec<FieldError>> {
        let mut errors = Vec::new();
        required(&mut errors, "name", &self.name, "请填写姓名");
        required(
            &mut errors,
            "role",
            &self.role,
            "请填写类别，如 挂职干部、专业技术人才",
        );
        required(&mut errors, "start_on", &self.start_on, "请填写开始日期");
        let start = day(&mut errors, "start_on", "开始日期", &self.start_on);
        let end = day(&mut errors, "end_on", "结束日期", &self.end_on);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errors.push(FieldError {
                field: "end_on".into(),
                message: "结束日期不能早于开始日期".into(),
            });
        }
        match start {
            Some(start_on) if errors.is_empty() => Ok(Person {
                name: self.name.trim().into(),
                role: self.role.trim().into(),
                batch: self.batch.trim().into(),
                place: self.place.trim().into(),
                start_on,
                end_on: end,
            }),
            _ => Err(errors),
        }
    }
}

/// A consumption-assistance sale (消费帮扶) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SaleInput {
    pub product: String,
    /// Where the product comes from, e.g. 四川省广安市.
    pub region: String,
    pub amount_wan: String,
    pub sold_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub product: String,
    pub region: String,
    pub amount: Yuan,
    pub sold_on: chrono::NaiveDate,
}

impl SaleInput {
    pub fn validate(&self) -> Result<Sale, Vec<FieldError>> {
        let mut errors = Vec::new();
        required(&mut errors, "product", &self.product, "请填写产品");
        required(&mut errors, "region", &self.region, "请填写产地");
        required(&mut errors, "sold_on", &self.sold_on, "请填写销售日期");
        let amount = match Yuan::parse_wan(&self.amount_wan) {
            Ok(v) if v.0 > 0 => Some(v),
            Ok(_) => {
                errors.push(FieldError {
                    field: "amount_wan".into(),
                    message: "销售金额应大于0".into(),
                });
                None
            }
            Err(e) => {
                errors.push(FieldError {
                    field: "amount_wan".into(),
                    message: format!("销售金额：{e}"),
                });
                None
            }
        };
        let sold_on = day(&mut errors, "sold_on", "销售日期", &self.sold_on);
        match (amount, sold_on) {
            (Some(amount), Some(sold_on)) if errors.is_empty() => Ok(Sale {
                product: self.product.trim().into(),
                region: self.region.trim().into(),
                amount,
                sold_on,
            }),
            _ => Err(errors),
        }
    }
}

/// An indicator as a workbook row states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorRecord {
    pub year: i32,
    pub kind: ProgrammeKind,
    pub partner_region: String,
    pub name: String,
    pub unit: String,
    pub target_x100: i64,
    pub actual_x100: i64,
    /// The month the actual stands at.
    pub as_of: Month,
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorStatus::*;

    #[test]
    fn status_at_the_edges_of_time_elapsed() {
        // Target 1200 over the year: by June the share is 600.
        assert_eq!(indicator_status(1200, 600, 6), OnSchedule);
        assert_eq!(indicator_status(1200, 599, 6), Lagging);
        assert_eq!(indicator_status(1200, 1200, 6), Completed);
        assert_eq!(indicator_status(1200, 1201, 6), ExceededEarly);
        assert_eq!(indicator_status(1200, 1201, 12), Exceeded);
        assert_eq!(
            indicator_status(1200, 1199, 12),
            Lagging,
            "at year end the target is due"
        );
        assert_eq!(
            indicator_status(7, 3, 6),
            Lagging,
            "3 × 12 < 7 × 6, exactly"
        );
        assert_eq!(indicator_status(7, 4, 6), OnSchedule);
        assert_eq!(indicator_status(0, 0, 3), Completed);
    }

    #[test]
    fn a_programme_stands_where_its_worst_indicator_stands() {
        assert_eq!(
            programme_status(&[ExceededEarly, OnSchedule, Completed]),
            Some(OnSchedule)
        );
        assert_eq!(
            programme_status(&[ExceededEarly, ExceededEarly]),
            Some(ExceededEarly)
        );
        assert_eq!(programme_status(&[]), None);
        assert_eq!(months_elapsed(2024, Month::new(2024, 6).unwrap()), 6);
        assert_eq!(months_elapsed(2024, Month::new(2025, 1).unwrap()), 12);
        assert_eq!(months_elapsed(2024, Month::new(2023, 12).unwrap()), 0);
    }

    #[test]
    fn amounts_are_exact_hundredths() {
        assert_eq!(parse_amount("1540"), Some(154000));
        assert_eq!(parse_amount("1.5"), Some(150));
        assert_eq!(parse_amount("2,838"), Some(283800));
        assert_eq!(parse_amount("１．５"), Some(150));
        assert_eq!(parse_amount("1.505"), None);
        assert_eq!(parse_amount("-3"), None);
        assert_eq!(parse_amount("约100"), None);
        assert_eq!(amount_text(154000), "1540");
        assert_eq!(amount_text(150), "1.5");
        assert_eq!(amount_text(5), "0.05");
    }

    #[test]
    fn a_fund_never_pays_out_more_than_it_was_given() {
        let wan = |w: i64| Yuan(w * 10_000);
        assert!(check_disbursement(wan(350), wan(300), wan(50)).is_ok());
        let err = check_disbursement(wan(350), wan(300), wan(51)).unwrap_err();
        assert!(err.contains("余额50万元"), "{err}");
        assert!(check_disbursement(wan(350), wan(0), Yuan(0)).is_err());
        assert!(check_disbursement(wan(350), wan(0), Yuan(-1)).is_err());
    }

    #[test]
    fn a_programme_is_named_from_its_kind_and_partner_when_unnamed() {
        let p = ProgrammeInput {
            year: "2024".into(),
            kind: "援疆".into(),
            partner_region: "新疆阿克苏地区柯坪县".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(p.name, "2024年援疆（新疆阿克苏地区柯坪县）");
        let errors = ProgrammeInput::default().validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "kind", "partner_region"]);
    }

    #[test]
    fn people_and_sales_say_what_is_wrong() {
        let errors = PersonInput {
            name: "张三".into(),
            role: "挂职干部".into(),
            start_on: "2024-03-01".into(),
            end_on: "2023-03-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors[0].message, "结束日期不能早于开始日期");
        let sale = SaleInput {
            product: "白叶一号茶叶".into(),
            region: "四川省广安市".into(),
            amount_wan: "12.5".into(),
            sold_on: "2024.5.20".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(sale.amount, Yuan(125_000));
        let bad = SaleInput {
            amount_wan: "0".into(),
            ..SaleInput::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["product", "region", "sold_on", "amount_wan"]);
    }
}
