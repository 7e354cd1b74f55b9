//! The HTTP edge: server-rendered pages (askama), sessions and CSRF, the JSON API under
//! `/api/v1` with its OpenAPI document. Handlers turn requests into domain values and call the
//! store with the caller's [`hezuo_domain::Viewer`]; scope is enforced by the store's queries.

mod account;
mod admin;
mod api;
mod assistance;
mod auth;
pub mod bulletin;
mod charts;
mod cockpit;
mod conflict;
mod coop_platform;
mod error;
pub mod export;
mod form;
pub mod import;
mod key_item;
mod key_item_form;
mod mujun;
mod progress;
mod project;
mod security;
mod stats;
mod views;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use hezuo_domain::TierConfig;
use hezuo_store::Store;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::ApiDoc;
pub use error::AppError;

/// Settings the web edge needs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Shown in the page header, e.g. 湖州市.
    pub city_name: String,
    pub tiers: TierConfig,
    /// Set the Secure flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// Where uploaded workbooks are parsed (the server runs them in a child process).
    pub parser: import::Parser,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            city_name: "湖州市".into(),
            tiers: TierConfig::default(),
            secure_cookies: false,
            parser: import::Parser::InProcess,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

/// The largest request body: a 50 MB workbook and the form fields around it.
pub const UPLOAD_BODY_BYTES: usize = hezuo_office::book::MAX_FILE_BYTES + 64 * 1024;

/// The whole application.
pub fn app(store: Store, config: WebConfig) -> Router {
    let state = AppState {
        store,
        config: Arc::new(config),
    };
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/projects") }),
        )
        .route("/login", get(auth::login_page).post(auth::login_submit))
        .route("/logout", post(auth::logout))
        .route(
            "/account/password",
            get(account::form).post(account::change),
        )
        .route("/projects", get(project::list).post(project::create))
        .route("/projects/mine", get(project::mine))
        .route("/projects/mine/export.xlsx", get(project::export_mine))
        .route("/projects/export.xlsx", get(project::export))
        .route("/projects/new", get(project::new_form))
        .route("/projects/{id}", get(project::detail).post(project::update))
        .route("/projects/{id}/edit", get(project::edit_form))
        .route("/projects/{id}/stage", post(project::change_stage))
        .route(
            "/projects/{id}/progress",
            get(progress::project).post(progress::submit_report),
        )
        .route("/projects/{id}/plans", post(progress::save_plan))
        .route("/cockpit", get(cockpit::index))
        .route("/cockpit/export.xlsx", get(cockpit::export))
        .route("/cockpit/projects", get(cockpit::projects))
        .route(
            "/cockpit/projects/export.xlsx",
            get(cockpit::export_projects),
        )
        .route("/progress", get(progress::queue))
        .route("/progress/export.xlsx", get(progress::export_queue))
        .route("/progress/{id}/review", post(progress::review))
        .route("/blockers", get(progress::board))
        .route("/reports/bulletin", get(bulletin::page))
        .route("/reports/bulletin.docx", get(bulletin::download))
        .route("/blockers/export.xlsx", get(progress::export_board))
        .route("/blockers/{id}/resolve", post(progress::resolve_blocker))
        .route(
            "/key-items",
            get(key_item::list).post(key_item_form::create_item),
        )
        .route("/key-items/new", get(key_item_form::new_item))
        .route("/key-items/plans", post(key_item_form::create_plan))
        .route("/key-items/plans/new", get(key_item_form::new_plan))
        .route(
            "/key-items/{id}/edit",
            get(key_item_form::edit_item).post(key_item_form::update_item),
        )
        .route("/key-items/export.xlsx", get(key_item::export))
        .route("/key-items/{id}", get(key_item::detail))
        .route("/key-items/progress/{id}/review", post(key_item::review))
        .route("/evidence/{id}", get(key_item::evidence))
        .route(
            "/agreements",
            get(key_item::agreements).post(key_item_form::create_agreement),
        )
        .route("/agreements/new", get(key_item_form::new_agreement))
        .route("/agreements/export.xlsx", get(key_item::export_agreements))
        .route("/agreements/{id}", get(key_item::agreement))
        .route("/assessment", get(key_item::assessment_page))
        .route("/assessment/export.xlsx", get(key_item::export_assessment))
        .route("/assessment/adjust", post(key_item::adjust))
        .route("/assessment/rules", post(key_item::save_rules))
        .route(
            "/assistance",
            get(assistance::matrix).post(assistance::create_programme),
        )
        .route("/assistance/new", get(assistance::new_programme))
        .route("/assistance/export.xlsx", get(assistance::export))
        .route("/assistance/{id}", get(assistance::detail))
        .route(
            "/assistance/{id}/indicators",
            post(assistance::set_indicator),
        )
        .route("/assistance/{id}/funds", post(assistance::add_fund))
        .route("/assistance/{id}/people", post(assistance::add_person))
        .route("/assistance/{id}/sales", post(assistance::add_sale))
        .route(
            "/assistance/funds/{id}/disburse",
            post(assistance::disburse),
        )
        .route(
            "/platforms",
            get(coop_platform::list).post(coop_platform::create),
        )
        .route("/platforms/export.xlsx", get(coop_platform::export))
        .route("/platforms/{id}", get(coop_platform::detail))
        .route("/platforms/{id}/figures", post(coop_platform::set_figures))
        .route("/mujun", get(mujun::index))
        .route("/mujun/publicize", post(mujun::publicize))
        .route("/mujun/finalize", post(mujun::finalize))
        .route("/mujun/results", get(mujun::results))
        .route("/mujun/results/export.xlsx", get(mujun::export_results))
        .route("/mujun/enterprises/{id}", get(mujun::enterprise))
        .route("/mujun/objections", post(mujun::file_objection))
        .route(
            "/mujun/objections/{id}/resolve",
            post(mujun::resolve_objection),
        )
        .route("/mujun/scheme", get(mujun::scheme).post(mujun::save_scheme))
        .route("/mujun/improvements", get(mujun::improvements))
        .route(
            "/mujun/improvements/export.xlsx",
            get(mujun::export_improvements),
        )
        .route("/mujun/improvements/{id}", post(mujun::update_improvement))
        .route("/admin", get(admin::index))
        .route("/admin/audit", get(security::audit))
        .route("/admin/audit/export.xlsx", get(security::export_audit))
        .route("/admin/sessions", get(security::sessions))
        .route("/admin/sessions/end", post(security::end_session))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/export.xlsx", get(admin::export_users))
        .route(
            "/admin/users/{id}",
            get(admin::user_form).post(admin::update_user),
        )
        .route("/admin/users/{id}/state", post(admin::user_state))
        .route("/admin/users/{id}/password", post(admin::user_password))
        .route(
            "/admin/dict/{kind}",
            get(admin::dict_list).post(admin::dict_create),
        )
        .route(
            "/admin/dict/{kind}/{id}",
            get(admin::dict_form).post(admin::dict_update),
        )
        .route("/static/app.css", get(views::css))
        .route("/static/app.js", get(views::js))
        .route("/static/favicon.svg", get(views::favicon))
        .route("/favicon.ico", get(views::favicon))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        // Workbook uploads: up to 50 MB (and the form around it), on these routes only.
        .merge(
            Router::new()
                .route("/import", get(import::page).post(import::upload))
                .route("/import/{id}/commit", post(import::commit))
                .route("/import/{id}/mapping", post(import::remap))
                .route("/import/templates/{kind}", get(import::template))
                // Progress on a key item with its evidence files.
                .route("/key-items/{id}/progress", post(key_item::file_progress))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    auth::csrf_guard,
                ))
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_BYTES))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(
                    UPLOAD_BODY_BYTES,
                )),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
pub use axum;
pub use utoipa;
