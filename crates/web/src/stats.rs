//! Figures for a scope and period, as the API returns them and the cockpit shows them. Both
//! read the store's one query per figure (`hezuo_store::stats`) and format it here, once.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError};
use crate::form::parse_query;
use axum::Json;
use axum::extract::{RawQuery, State};
use hezuo_domain::figures::{Ratio, versus_province};
use hezuo_store::project::ProjectFilter;
use hezuo_store::stats::{GroupStat, InvestmentStats, LightCounts, Period, SigningStats};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The metric name of the province's reference completion rate.
pub const PROVINCE_COMPLETION: &str = "investment_completion";

/// Scope and period of a figure: a year counted from January to `month`, narrowed by any of
/// the project filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// The year (required; 2000–2100).
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// Count January through this month (default 12).
    #[param(minimum = 1, maximum = 12)]
    pub month: Option<u32>,
    /// District code (330502 …).
    pub district: Option<String>,
    /// Platform id.
    pub platform: Option<i64>,
    /// List id; the list of the period's year unless `list_year` is given.
    pub list: Option<i64>,
    pub list_year: Option<i64>,
    /// Leader id.
    pub leader: Option<i64>,
    /// Chain id.
    pub chain: Option<i64>,
    pub industry: Option<i64>,
    /// Origin code (shanghai …).
    pub origin: Option<String>,
    /// Kind code (industrial …).
    pub kind: Option<String>,
}

impl StatsParams {
    pub fn period(&self) -> Result<Period, AppError> {
        let year = self.year.ok_or_else(|| AppError::Invalid {
            field: "year".into(),
            message: "请指定统计年度 year".into(),
        })?;
        Period::new(year, self.month).map_err(AppError::from)
    }

    pub fn filter(&self) -> ProjectFilter {
        ProjectFilter {
            district: self.district.clone(),
            platform: self.platform,
            list: self.list,
            year: self.list_year,
            leader: self.leader,
            chain: self.chain,
            industry: self.industry,
            origin: self.origin.clone(),
            kind: self.kind.clone(),
            ..Default::default()
        }
    }
}

/// Yuan as 万元 for JSON (exact to four decimals, as a number).
pub fn wan(yuan: i64) -> f64 {
    yuan as f64 / 10_000.0
}

/// A rate as a percentage number with one decimal (152.0), or null.
fn pct(r: Option<Ratio>) -> Option<f64> {
    r.map(|r| r.permille() as f64 / 10.0)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierJson {
    /// Threshold in 亿元; counts are cumulative (≥).
    pub min_yi: i64,
    pub count: i64,
    pub investment_wan: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupJson {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub investment_wan: f64,
}

impl From<&GroupStat> for GroupJson {
    fn from(g: &GroupStat) -> Self {
        GroupJson {
            key: g.key.clone(),
            label: g.label.clone(),
            count: g.count,
            investment_wan: wan(g.investment),
        }
    }
}

/// 签约统计 for the scope and period.
#[derive(Debug, Serialize, ToSchema)]
pub struct SigningJson {
    pub year: i32,
    pub month: u32,
    pub count: i64,
    pub total_investment_wan: f64,
    /// Exact, in yuan.
    pub total_investment_yuan: i64,
    pub tiers: Vec<TierJson>,
    pub by_origin: Vec<GroupJson>,
    pub by_chain: Vec<GroupJson>,
}

impl SigningJson {
    pub fn new(s: &SigningStats, period: Period) -> SigningJson {
        SigningJson {
            year: period.year,
            month: period.month,
            count: s.count,
            total_investment_wan: wan(s.investment),
            total_investment_yuan: s.investment,
            tiers: s
                .tiers
                .iter()
                .map(|t| TierJson {
                    min_yi: t.min_yi,
                    count: t.count,
                    investment_wan: wan(t.investment),
                })
                .collect(),
            by_origin: s.by_origin.iter().map(GroupJson::from).collect(),
            by_chain: s.by_chain.iter().map(GroupJson::from).collect(),
        }
    }
}

/// 投资进度 for the scope and period. Rates are percentages with one decimal, null when there
/// is nothing to divide by.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestmentJson {
    pub year: i32,
    pub month: u32,
    /// Projects with an annual plan for the year.
    pub projects: i64,
    pub planned_wan: f64,
    pub completed_wan: f64,
    pub planned_yuan: i64,
    pub completed_yuan: i64,
    /// 年度投资完成率, %.
    pub completion_rate: Option<f64>,
    /// 时序进度, %.
    pub time_progress: f64,
    /// ahead (超前), normal (正常) or behind (滞后).
    pub light: Option<String>,
    pub lights: LightCounts,
    /// 开工率 = started / planned_start.
    pub planned_start: i64,
    pub started: i64,
    pub start_rate: Option<f64>,
    /// 竣工率 = completed_projects / planned_completion.
    pub planned_completion: i64,
    pub completed_projects: i64,
    pub completion_count_rate: Option<f64>,
    /// 落地率 = landed / signed.
    pub signed: i64,
    pub landed: i64,
    pub landing_rate: Option<f64>,
    /// The same months last year, when last year has data.
    pub last_year_completed_wan: Option<f64>,
    /// 同比, %.
    pub year_on_year: Option<f64>,
    /// The province's completion rate for the same period, when entered, %.
    pub province_completion_rate: Option<f64>,
    /// "快于全省43.1个百分点" when a province figure is entered.
    pub versus_province: Option<String>,
}

impl InvestmentJson {
    pub fn new(s: &InvestmentStats, province_permille: Option<i64>) -> InvestmentJson {
        let rate = s.completion_rate();
        InvestmentJson {
            year: s.year,
            month: s.month,
            projects: s.projects,
            planned_wan: wan(s.planned),
            completed_wan: wan(s.completed),
            planned_yuan: s.planned,
            completed_yuan: s.completed,
            completion_rate: pct(rate),
            time_progress: s.time_progress().permille() as f64 / 10.0,
            light: s.light().map(|l| l.code().to_string()),
            lights: s.lights,
            planned_start: s.planned_start,
            started: s.started,
            start_rate: pct(s.start_rate()),
            planned_completion: s.planned_completion,
            completed_projects: s.completed_projects,
            completion_count_rate: pct(s.completion_count_rate()),
            signed: s.signed,
            landed: s.landed,
            landing_rate: pct(s.landing_rate()),
            last_year_completed_wan: s.last_year_completed.map(wan),
            year_on_year: pct(s.year_on_year()),
            province_completion_rate: province_permille.map(|p| p as f64 / 10.0),
            versus_province: match (rate, province_permille) {
                (Some(r), Some(p)) => Some(versus_province(r.permille(), p)),
                _ => None,
            },
        }
    }
}

/// The province's reference completion rate for the period's month, if entered.
pub async fn province_reference(
    store: &hezuo_store::Store,
    period: Period,
) -> Result<Option<i64>, hezuo_store::StoreError> {
    store
        .province_reference(period.month(), PROVINCE_COMPLETION)
        .await
}

/// 签约统计: count, investment and cumulative tiers for the scope and period.
#[utoipa::path(get, path = "/api/v1/stats/signing", params(StatsParams), tag = "stats",
    responses((status = 200, description = "成功", body = SigningJson), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "内容未通过校验", body = crate::error::ErrorBody)))]
pub async fn signing(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<SigningJson>, ApiError> {
    let params: StatsParams = parse_query(raw.as_deref())?;
    let period = params.period()?;
    let stats = state
        .store
        .signing_stats(&user.viewer, &params.filter(), period, &state.config.tiers)
        .await?;
    Ok(Json(SigningJson::new(&stats, period)))
}

/// 投资进度: planned, completed, completion rate, time progress and the counts behind
/// 开工率/竣工率/落地率 for the scope and period.
#[utoipa::path(get, path = "/api/v1/stats/investment", params(StatsParams), tag = "stats",
    responses((status = 200, description = "成功", body = InvestmentJson), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "内容未通过校验", body = crate::error::ErrorBody)))]
pub async fn investment(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<InvestmentJson>, ApiError> {
    let params: StatsParams = parse_query(raw.as_deref())?;
    let period = params.period()?;
    let stats = state
        .store
        .investment_stats(&user.viewer, &params.filter(), period)
        .await?;
    Ok(Json(InvestmentJson::new(
        &stats,
        province_reference(&state.store, period).await?,
    )))
}
