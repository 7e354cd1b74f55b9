//! Rendering helpers: the template renderer, static assets, select options and the
//! pre-formatted project view that templates display.

use crate::AppState;
use askama::Template;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use hezuo_domain::money::{UsdRate, WAN};
use hezuo_domain::project::{flags_from_text, land_text};
use hezuo_domain::{
    Currency, Kind, Maturity, Origin, ProjectScope, Stage, TierConfig, Viewer, Yuan,
};
use hezuo_store::dict::DictKind;
use hezuo_store::project::ProjectRow;

/// Renders a template; a rendering failure is logged and becomes a plain 500.
pub fn html<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "系统错误").into_response()
        }
    }
}

pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
    )
        .into_response()
}

pub async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/app.js"),
    )
        .into_response()
}

/// An amount in 万元 for tables: thousands separators, up to two decimals.
/// A rate as "16.7%", or "—" when there is nothing behind it.
pub fn rate_text(r: Option<hezuo_domain::Ratio>) -> String {
    r.map_or("—".into(), |r| r.percent_text())
}

pub fn wan_display(y: i64) -> String {
    let cents = (i128::from(y) * 100 * 2 + i128::from(WAN) * i128::from(y.signum()))
        / (2 * i128::from(WAN));
    let (int, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{grouped}"),
        f if f % 10 == 0 => format!("{sign}{grouped}.{}", f / 10),
        f => format!("{sign}{grouped}.{f:02}"),
    }
}

#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    fn new(value: impl ToString, label: impl ToString) -> Opt {
        Opt {
            value: value.to_string(),
            label: label.to_string(),
        }
    }

    /// The options of a closed vocabulary (a stage, a status, a kind): its code and its label.
    pub fn of<T: Copy>(
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> Vec<Opt> {
        all.iter().map(|&v| Opt::new(code(v), label(v))).collect()
    }
}

/// The name of the district or platform an area account is limited to.
pub fn area_name(viewer: &hezuo_domain::Viewer, lookups: &Lookups) -> Option<String> {
    let (opts, value) = match &viewer.area {
        Some(hezuo_domain::Area::District(code)) => (&lookups.districts, code.clone()),
        Some(hezuo_domain::Area::Platform(id)) => (&lookups.platforms, id.to_string()),
        None => return None,
    };
    opts.iter()
        .find(|o| o.value == value)
        .map(|o| o.label.clone())
}

/// The whole city, as a scope is named in titles (全市).
pub const CITY: &str = "全市";

/// Choices for the selects of filters and forms.
#[derive(Clone)]
pub struct Lookups {
    /// What the viewer's whole scope is called in a title: 全市, or the liaison's district,
    /// platform or unit (a district user's cockpit is 吴兴区's, not the city's).
    pub whole: String,
    pub districts: Vec<Opt>,
    pub platforms: Vec<Opt>,
    /// Platform id → district code, so the form offers only the chosen district's platforms.
    pub platform_parent: String,
    pub industries: Vec<Opt>,
    /// Chain id → industry id, so the form offers only the chosen industry's chains.
    pub chain_parent: String,
    pub chains: Vec<Opt>,
    pub leaders: Vec<Opt>,
    pub units: Vec<Opt>,
    pub lists: Vec<Opt>,
    pub events: Vec<Opt>,
    pub stages: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub origins: Vec<Opt>,
    pub flags: Vec<Opt>,
    pub tiers: Vec<Opt>,
    pub maturities: Vec<Opt>,
    pub currencies: Vec<Opt>,
    pub years: Vec<Opt>,
}

impl Lookups {
    /// Loads every dictionary. For a liaison, places are limited to its own area.
    pub async fn load(
        state: &AppState,
        viewer: &Viewer,
    ) -> Result<Lookups, hezuo_store::StoreError> {
        let store = &state.store;
        let scope = viewer.project_scope();
        let all_platforms = store.dict_list(DictKind::Platform).await?;
        // A platform liaison works inside its platform's district.
        let platform_district = match &scope {
            ProjectScope::Platform(id) => all_platforms
                .iter()
                .find(|p| p.id == *id)
                .map(|p| p.value(DictKind::Platform, "district_code").to_string()),
            _ => None,
        };
        let districts = store
            .dict_list(DictKind::District)
            .await?
            .into_iter()
            .filter(|d| match &scope {
                ProjectScope::District(code) => d.value(DictKind::District, "code") == code,
                ProjectScope::Platform(_) => {
                    platform_district.as_deref() == Some(d.value(DictKind::District, "code"))
                }
                _ => true,
            })
            .map(|d| Opt::new(d.value(DictKind::District, "code"), &d.name))
            .collect();
        let platform_parent = parent_map(all_platforms.iter().map(|p| {
            (
                p.id.to_string(),
                p.value(DictKind::Platform, "district_code").to_string(),
            )
        }));
        let all_chains = store.dict_list(DictKind::Chain).await?;
        let chain_parent = parent_map(all_chains.iter().map(|c| {
            (
                c.id.to_string(),
                c.value(DictKind::Chain, "industry_id").to_string(),
            )
        }));
        let platforms = all_platforms
            .into_iter()
            .filter(|p| match &scope {
                ProjectScope::Platform(id) => p.id == *id,
                ProjectScope::District(code) => {
                    p.value(DictKind::Platform, "district_code") == code
                }
                _ => true,
            })
            .map(|p| Opt::new(p.id, &p.name))
            .collect();
        let simple = |items: Vec<hezuo_store::dict::DictItem>| {
            items.into_iter().map(|i| Opt::new(i.id, i.name)).collect()
        };
        let tiers = state
            .config
            .tiers
            .cny_yi
            .iter()
            .map(|t| Opt::new(t, TierConfig::label(*t)))
            .collect();
        let name_of = |opts: &Vec<Opt>, value: String| {
            opts.iter()
                .find(|o| o.value == value)
                .map(|o| o.label.clone())
        };
        let units = simple(store.dict_list(DictKind::Unit).await?);
        let whole = match &scope {
            ProjectScope::District(code) => name_of(&districts, code.clone()),
            ProjectScope::Platform(id) => name_of(&platforms, id.to_string()),
            ProjectScope::Unit(id) => name_of(&units, id.to_string()),
            ProjectScope::City | ProjectScope::Nothing => None,
        }
        .unwrap_or_else(|| CITY.to_string());
        let this_year = chrono::Utc::now()
            .date_naive()
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap_or(2024);
        Ok(Lookups {
            whole,
            districts,
            platforms,
            platform_parent,
            industries: simple(store.dict_list(DictKind::Industry).await?),
            chains: simple(all_chains),
            chain_parent,
            leaders: simple(store.dict_list(DictKind::Leader).await?),
            units,
            lists: simple(store.dict_list(DictKind::List).await?),
            events: simple(store.dict_list(DictKind::SigningEvent).await?),
            stages: Stage::ALL
                .iter()
                .map(|s| Opt::new(s.code(), s.label()))
                .collect(),
            kinds: Kind::ALL
                .iter()
                .map(|k| Opt::new(k.code(), k.label()))
                .collect(),
            origins: Origin::ALL
                .iter()
                .map(|o| Opt::new(o.code(), o.label()))
                .collect(),
            flags: hezuo_domain::Flag::ALL
                .iter()
                .map(|f| Opt::new(f.code(), f.label()))
                .collect(),
            tiers,
            maturities: Maturity::ALL
                .iter()
                .map(|m| Opt::new(m.code(), m.label()))
                .collect(),
            currencies: [Currency::Cny, Currency::Usd]
                .iter()
                .map(|c| Opt::new(c.code(), c.label()))
                .collect(),
            years: (2020..=this_year + 1)
                .rev()
                .map(|y| Opt::new(y, format!("{y}年")))
                .collect(),
        })
    }
}

/// `{"child": "parent", …}` as JSON for a dependent select (read by app.js).
fn parent_map(pairs: impl Iterator<Item = (String, String)>) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .filter(|(_, parent)| !parent.is_empty())
        .map(|(k, v)| (k, v.into()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// A project formatted for display.
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub stage_code: String,
    pub stage: String,
    pub maturity: String,
    pub stage_date: String,
    pub signed_on: String,
    pub investor: String,
    pub summary: String,
    /// "12,000" (万元).
    pub investment_wan: String,
    /// Original currency amount when not CNY, e.g. "1,500万美元（汇率7.1884，2024-03-01）".
    pub investment_foreign: String,
    /// "1.2亿元" / "8000万元".
    pub investment_text: String,
    pub tier: String,
    pub arrived_wan: String,
    pub origin: String,
    pub industry: String,
    pub chain: String,
    pub flags: Vec<String>,
    pub district: String,
    pub platform: String,
    pub land: String,
    pub leader: String,
    pub unit: String,
    pub promoter: String,
    pub commissioner: String,
    pub signing_event: String,
    pub project_code: String,
    pub version: i64,
    pub updated_at: String,
}

impl ProjectView {
    pub fn new(p: &ProjectRow, tiers: &TierConfig) -> ProjectView {
        let stage = Stage::parse(&p.stage);
        let foreign = if p.currency == Currency::Usd.code() {
            let rate = p.usd_rate.map(|r| UsdRate(r).text()).unwrap_or_default();
            format!(
                "{}万美元（汇率{}，{}）",
                wan_display(p.investment_orig),
                rate,
                p.rate_date.clone().unwrap_or_default()
            )
        } else {
            String::new()
        };
        let origin = Origin::parse(&p.origin).map_or(p.origin.clone(), |o| o.label().to_string());
        ProjectView {
            id: p.id,
            name: p.name.clone(),
            kind: Kind::parse(&p.kind).map_or(p.kind.clone(), |k| k.label().to_string()),
            stage_code: p.stage.clone(),
            stage: stage.map_or(p.stage.clone(), |s| s.label().to_string()),
            maturity: p
                .maturity
                .as_deref()
                .and_then(Maturity::parse)
                .map_or(String::new(), |m| m.label().into()),
            stage_date: p.stage_date.clone(),
            signed_on: p.signed_on.clone().unwrap_or_default(),
            investor: p.investor.clone(),
            summary: p.summary.clone(),
            investment_wan: wan_display(p.investment_cny),
            investment_foreign: foreign,
            investment_text: Yuan(p.investment_cny).to_string(),
            tier: tiers
                .tier_of(Yuan(p.investment_cny))
                .map_or("1亿元以下".into(), TierConfig::label),
            arrived_wan: wan_display(p.arrived),
            origin: if p.origin_detail.is_empty() {
                origin
            } else {
                format!("{origin}（{}）", p.origin_detail)
            },
            industry: p.industry_name.clone().unwrap_or_default(),
            chain: p.chain_name.clone().unwrap_or_default(),
            flags: flags_from_text(&p.flags)
                .iter()
                .map(|f| f.label().to_string())
                .collect(),
            district: p.district_name.clone(),
            platform: p.platform_name.clone().unwrap_or_default(),
            land: p
                .land_mu_x100
                .map(|l| format!("{}亩", land_text(l)))
                .unwrap_or_default(),
            leader: p.leader_name.clone().unwrap_or_default(),
            unit: p.unit_name.clone().unwrap_or_default(),
            promoter: p.promoter.clone(),
            commissioner: p.commissioner.clone(),
            signing_event: p.signing_event_name.clone().unwrap_or_default(),
            project_code: p.project_code.clone().unwrap_or_default(),
            version: p.version,
            updated_at: beijing_time(&p.updated_at),
        }
    }
}

/// Chinese label of a project column, for change histories; `None` for bookkeeping columns.
fn project_field_label(column: &str) -> Option<&'static str> {
    Some(match column {
        "name" => "项目名称",
        "kind" => "项目类型",
        "stage" => "阶段",
        "maturity" => "洽谈成熟度",
        "stage_date" => "阶段日期",
        "signed_on" => "签约日期",
        "investor" => "投资方",
        "summary" => "建设内容",
        "currency" => "币种",
        "investment_orig" | "investment_cny" => "协议投资",
        "usd_rate" => "美元汇率",
        "rate_date" => "汇率日期",
        "arrived" => "实际到位",
        "origin" | "origin_detail" => "来源地",
        "industry_id" => "产业",
        "chain_id" => "产业链",
        "flags" => "企业标签",
        "district_code" => "所属区县",
        "platform_id" => "所在平台",
        "land_mu_x100" => "用地",
        "leader_id" => "联系领导",
        "unit_id" => "责任单位",
        "promoter" => "招商人员",
        "commissioner" => "服务专员",
        "signing_event_id" => "签约活动",
        "project_code" => "项目代码",
        _ => return None,
    })
}

/// One line of a record's change history.
pub struct HistoryItem {
    pub at: String,
    pub who: String,
    pub action: String,
    pub fields: String,
}

/// Turns audit rows into "who did what, which fields changed".
pub fn change_history(entries: &[hezuo_store::AuditEntry]) -> Vec<HistoryItem> {
    entries
        .iter()
        .map(|e| {
            let parse = |j: &Option<String>| -> serde_json::Map<String, serde_json::Value> {
                j.as_deref()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default()
            };
            let (before, after) = (parse(&e.before_json), parse(&e.after_json));
            let mut fields: Vec<&str> = Vec::new();
            if e.action == "update" {
                for (k, v) in &after {
                    if before.get(k) != Some(v)
                        && let Some(label) = project_field_label(k)
                        && !fields.contains(&label)
                    {
                        fields.push(label);
                    }
                }
            }
            let stage_of = |m: &serde_json::Map<String, serde_json::Value>| {
                m.get("stage")
                    .and_then(|s| s.as_str())
                    .and_then(Stage::parse)
                    .map_or("", |s| s.label())
            };
            let action = match e.action.as_str() {
                "create" => "新建".to_string(),
                "update" => "修改".to_string(),
                "transition" => format!("阶段：{} → {}", stage_of(&before), stage_of(&after)),
                other => other.to_string(),
            };
            HistoryItem {
                at: beijing_time(&e.at),
                who: e.username.clone(),
                action,
                fields: fields.join("、"),
            }
        })
        .collect()
}

/// A stored UTC timestamp shown in Beijing time, "2024-03-05 14:30".
pub fn beijing_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&crate::project::beijing())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::{beijing_time, wan_display};

    #[test]
    fn times_are_shown_in_beijing_time() {
        assert_eq!(beijing_time("2024-03-05T20:30:00Z"), "2024-03-06 04:30");
    }

    #[test]
    fn wan_is_grouped_and_rounded() {
        assert_eq!(wan_display(1_200_000_000), "120,000");
        assert_eq!(wan_display(12_345), "1.23");
        assert_eq!(wan_display(15_000), "1.5");
        assert_eq!(wan_display(0), "0");
        assert_eq!(wan_display(9_999_999_995_000), "999,999,999.5");
    }
}
