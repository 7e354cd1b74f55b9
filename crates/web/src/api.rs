//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! Clients authenticate with `Authorization: Bearer <token>` (from `hezuo token create`).
//! The API reads and writes through the same store calls as the pages, with the same scope.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, AppError, ErrorBody};
use crate::form::parse_query;
use crate::project::today;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hezuo_domain::project::parse_date;
use hezuo_domain::{FieldError, ProjectInput, Stage};
use hezuo_store::project::{ListEntry, ProjectFilter, ProjectPage, ProjectRow, StageChange};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/projects", get(list_projects).post(create_project))
        .route("/projects/{id}", get(get_project).put(update_project))
        .route("/projects/{id}/transition", post(transition_project))
        .route("/stats/signing", get(crate::stats::signing))
        .route("/stats/investment", get(crate::stats::investment))
        .route("/key-items", get(crate::key_item::api_list))
        .route("/key-items/{id}", get(crate::key_item::api_get))
        .route("/agreements", get(crate::key_item::api_agreements))
        .route("/agreements/{id}", get(crate::key_item::api_agreement))
        .route("/assessment", get(crate::key_item::api_assessment))
        .route(
            "/assistance/programmes",
            get(crate::assistance::api_programmes),
        )
        .route(
            "/assistance/programmes/{id}",
            get(crate::assistance::api_programme),
        )
        .route("/platforms", get(crate::coop_platform::api_platforms))
        .route("/mujun/results", get(crate::mujun::api_mujun_results))
        .route(
            "/mujun/improvements",
            get(crate::mujun::api_mujun_improvements),
        )
        .fallback(|| async { ApiError(AppError::NotFound) })
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What every operation shares, whichever module declares it: any operation may answer 401 (no
/// or a revoked token), and one that reads a query string parses it with [`parse_query`], which
/// takes an empty value as "not given" (as the pages' forms send them: `tier=` is no tier) and
/// answers 400 for a parameter that does not parse (`year=abc`, a number too large for its
/// type), while its handler answers 422 for one that parses but is refused (a month of 13, an
/// unknown status). Added here so no operation can leave one out.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::Required;
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let mut reads_query = false;
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(p) = parameter
                        && matches!(p.parameter_in, ParameterIn::Query)
                    {
                        reads_query = true;
                        if !matches!(p.required, Required::True) {
                            // utoipa has no field for this standard keyword; its extensions
                            // map is written out flat beside the parameter's own fields.
                            p.extensions
                                .get_or_insert_with(Default::default)
                                .insert("allowEmptyValue".into(), true.into());
                        }
                    }
                }
                let responses = &mut operation.responses.responses;
                responses
                    .entry("401".into())
                    .or_insert_with(|| error("未登录或令牌无效"));
                if reads_query {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| error("请求参数无效"));
                    responses
                        .entry("422".into())
                        .or_insert_with(|| error("参数值不被接受"));
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "hezuo 区域合作办 API", version = "1", description = "项目库、重点事项、合作协议、考核、对口工作、平台飞地与亩均效益评价接口。金额以元为单位（整数），日期为 YYYY-MM-DD。"),
    paths(list_projects, get_project, create_project, update_project, transition_project,
        crate::stats::signing, crate::stats::investment,
        crate::key_item::api_list, crate::key_item::api_get, crate::key_item::api_agreements,
        crate::key_item::api_agreement, crate::key_item::api_assessment,
        crate::assistance::api_programmes, crate::assistance::api_programme, crate::coop_platform::api_platforms,
        crate::mujun::api_mujun_results, crate::mujun::api_mujun_improvements),
    components(schemas(crate::stats::SigningJson, crate::stats::InvestmentJson, crate::stats::TierJson,
        crate::stats::GroupJson, hezuo_store::stats::LightCounts, ProjectPage, ProjectRow, ProjectDetail, ListEntry, StageChange, ProjectInput, ProjectUpdate, TransitionRequest, ErrorBody, FieldError,
        hezuo_store::key_item::KeyItemPage, hezuo_store::key_item::KeyItemRow, hezuo_store::key_item::KeyItemDetail,
        hezuo_store::key_item::StatusCounts, hezuo_store::key_item::MilestoneRow, hezuo_store::key_item::ItemProgressRow,
        hezuo_store::key_item::EvidenceRow, hezuo_store::key_item::LinkedProject, hezuo_store::key_item::ClauseRef,
        hezuo_store::agreement::AgreementPage, hezuo_store::agreement::AgreementRow, hezuo_store::agreement::AgreementDetail,
        hezuo_store::agreement::ClauseRow, hezuo_domain::agreement::Fulfilment,
        hezuo_store::assessment::AssessmentReport, hezuo_store::assessment::UnitAssessment, hezuo_store::assessment::AdjustmentRow,
        hezuo_domain::assessment::AssessmentRules, hezuo_domain::assessment::UnitRecord, hezuo_domain::assessment::Score,
        hezuo_store::assistance::ProgrammePage, hezuo_store::assistance::ProgrammeRow, hezuo_store::assistance::IndicatorRow,
        hezuo_store::assistance::FundRow, hezuo_store::assistance::DisbursementRow, crate::assistance::ProgrammeDetail,
        hezuo_store::assistance::PersonRow, hezuo_store::assistance::SaleRow,
        hezuo_store::coop_platform::PlatformPage, hezuo_store::coop_platform::PlatformRow, hezuo_store::coop_platform::FiguresRow,
        hezuo_store::coop_platform::PlatformFigures, hezuo_store::coop_platform::PlatformYoy, hezuo_store::coop_platform::Settlement,
        crate::mujun::ApiResults, crate::mujun::ApiResult, hezuo_domain::mujun::MuResult, hezuo_domain::mujun::IndicatorScore,
        hezuo_domain::mujun_report::Stage, hezuo_domain::mujun_report::Distribution, hezuo_domain::mujun_report::ClassCounts,
        hezuo_store::mujun_results::Improvements, hezuo_store::mujun_results::ImprovementRow)),
    modifiers(&BearerAuth, &SharedResponses),
    security(("bearer" = []))
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi().to_pretty_json().unwrap_or_default(),
    )
        .into_response()
}

/// A project with its lists and dated stage history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub project: ProjectRow,
    pub lists: Vec<ListEntry>,
    pub stage_history: Vec<StageChange>,
}

/// An edit: the project's fields plus the version it was read at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProjectUpdate {
    /// The `version` read with the project; a stale one gets 409 and changes nothing.
    pub version: i64,
    #[serde(flatten)]
    pub project: ProjectInput,
}

/// A stage change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// Target stage code: negotiating, signed, started, completed, producing, full_production, terminated.
    #[schema(schema_with = hezuo_store::openapi::stage_code)]
    pub to: String,
    /// YYYY-MM-DD; not in the future, not before the previous change.
    pub date: String,
    /// Required for terminated.
    #[serde(default)]
    pub reason: Option<String>,
    pub version: i64,
}

fn validation_failed(errors: Vec<FieldError>) -> Response {
    let error = errors
        .iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("；");
    let field = errors.first().map(|e| e.field.clone());
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ErrorBody {
            error,
            field,
            errors,
        }),
    )
        .into_response()
}

/// List projects in the caller's scope with the same filters as the list page.
#[utoipa::path(get, path = "/api/v1/projects", params(ProjectFilter), tag = "projects",
    responses((status = 200, description = "成功", body = ProjectPage), (status = 400, description = "请求参数无效", body = ErrorBody), (status = 401, description = "未登录或令牌无效", body = ErrorBody)))]
async fn list_projects(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProjectPage>, ApiError> {
    let filter: ProjectFilter = parse_query(raw.as_deref())?;
    Ok(Json(
        state.store.list_projects(&user.viewer, &filter).await?,
    ))
}

/// One project; 404 when absent or outside the caller's scope.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, description = "成功", body = ProjectDetail), (status = 401, description = "未登录或令牌无效", body = ErrorBody), (status = 404, description = "不存在或不在权限范围内", body = ErrorBody)))]
async fn get_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectDetail>, ApiError> {
    let project = state.store.get_project(&user.viewer, id).await?;
    let lists = state.store.project_lists(&user.viewer, id).await?;
    let stage_history = state.store.stage_history(&user.viewer, id).await?;
    Ok(Json(ProjectDetail {
        project,
        lists,
        stage_history,
    }))
}

fn require_editor(user: &CurrentUser) -> Result<(), ApiError> {
    if user.viewer.can_edit_projects() {
        Ok(())
    } else {
        Err(ApiError(AppError::Forbidden("该账号只能查看项目".into())))
    }
}

/// Create a project.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects",
    request_body(content = ProjectInput, example = json!({"name": "长三角新材料产业园项目", "kind": "industrial", "stage": "signed",
        "stage_date": "2024-03-05", "signed_on": "2024-03-05", "investor": "上海某新材料有限公司", "currency": "CNY",
        "investment_wan": "52000", "origin": "shanghai", "district_code": "330502", "land_mu": "120"})),
    responses((status = 201, description = "已创建", body = ProjectRow), (status = 401, description = "未登录或令牌无效", body = ErrorBody), (status = 403, description = "无权进行此操作", body = ErrorBody),
        (status = 409, description = "版本已过期或与现有记录冲突", body = ErrorBody), (status = 422, description = "内容未通过校验", body = ErrorBody)))]
async fn create_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Response, ApiError> {
    require_editor(&user)?;
    let draft = match input.validate(today()) {
        Ok(d) => d,
        Err(errors) => return Ok(validation_failed(errors)),
    };
    let row = state
        .store
        .create_project(&user.viewer, &user.actor, &draft)
        .await?;
    Ok((StatusCode::CREATED, Json(row)).into_response())
}

/// Update a project's fields (not its stage) at a known version.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    request_body(content = ProjectUpdate, example = json!({"version": 1, "name": "长三角新材料产业园项目（二期）", "kind": "industrial",
        "signed_on": "2024-03-05", "investor": "上海某新材料有限公司", "currency": "CNY", "investment_wan": "60000",
        "origin": "shanghai", "district_code": "330502", "land_mu": "150"})),
    responses((status = 200, description = "成功", body = ProjectRow), (status = 401, description = "未登录或令牌无效", body = ErrorBody), (status = 403, description = "无权进行此操作", body = ErrorBody),
        (status = 404, description = "不存在或不在权限范围内", body = ErrorBody), (status = 409, description = "版本已过期或与现有记录冲突", body = ErrorBody), (status = 422, description = "内容未通过校验", body = ErrorBody)))]
async fn update_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProjectUpdate>,
) -> Result<Response, ApiError> {
    let current = state.store.get_project(&user.viewer, id).await?;
    require_editor(&user)?;
    let mut input = body.project;
    input.stage = current.stage;
    input.stage_date = current.stage_date;
    let draft = match input.validate(today()) {
        Ok(d) => d,
        Err(errors) => return Ok(validation_failed(errors)),
    };
    let row = state
        .store
        .update_project(&user.viewer, &user.actor, id, body.version, &draft)
        .await?;
    Ok(Json(row).into_response())
}

/// Move a project to its next stage, or terminate it with a reason.
#[utoipa::path(post, path = "/api/v1/projects/{id}/transition", tag = "projects", params(("id" = i64, Path)),
    request_body = TransitionRequest,
    responses((status = 200, description = "成功", body = ProjectRow), (status = 401, description = "未登录或令牌无效", body = ErrorBody), (status = 403, description = "无权进行此操作", body = ErrorBody),
        (status = 404, description = "不存在或不在权限范围内", body = ErrorBody), (status = 409, description = "版本已过期或与现有记录冲突", body = ErrorBody), (status = 422, description = "内容未通过校验", body = ErrorBody)))]
async fn transition_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TransitionRequest>,
) -> Result<Json<ProjectRow>, ApiError> {
    state.store.get_project(&user.viewer, id).await?;
    require_editor(&user)?;
    let to = Stage::parse(&body.to).ok_or_else(|| AppError::Invalid {
        field: "to".into(),
        message: format!("未知的阶段“{}”", body.to),
    })?;
    let date = parse_date(&body.date).ok_or_else(|| AppError::Invalid {
        field: "date".into(),
        message: "日期格式应为 2024-03-05".into(),
    })?;
    let row = state
        .store
        .transition_project(
            &user.viewer,
            &user.actor,
            id,
            body.version,
            to,
            date,
            body.reason.as_deref(),
            today(),
        )
        .await?;
    Ok(Json(row))
}
