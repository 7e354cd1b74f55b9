//! Project pages: the filtered list with totals, "我联系的项目", detail with the stage
//! timeline and the stage-change dialog, and the create/edit form that keeps what was typed
//! and shows each error next to its field.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, side_by_side};
use crate::error::{AppError, PathOr404};
use crate::form::{VersionForm, body_bytes, parse_body, parse_pairs, parse_query};
use crate::views::{Lookups, Opt, ProjectView, html};
use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::money::{UsdRate, Yuan};
use hezuo_domain::project::{flags_from_text, land_text, parse_date};
use hezuo_domain::{FieldError, ProjectInput, Stage};
use hezuo_store::StoreError;
use hezuo_store::project::{ListEntry, ProjectFilter, ProjectRow, StageChange};

/// The office works on Beijing time, whatever the server's zone.
pub fn beijing() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&beijing()).date_naive()
}

#[derive(Template)]
#[template(path = "project/list.html")]
struct ListPage {
    chrome: Chrome,
    title: String,
    filter: ProjectFilter,
    selects: Vec<FilterSelect>,
    rows: Vec<ProjectView>,
    total: i64,
    total_investment: String,
    total_investment_text: String,
    page: i64,
    pages: i64,
    base_query: String,
    sort_links: Vec<(String, String, String)>,
    mine: bool,
}

/// A filter drop-down with its current choice marked.
struct FilterSelect {
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
}

fn filter_selects(f: &ProjectFilter, l: Lookups, mine: bool) -> Vec<FilterSelect> {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let id = |o: &Option<i64>| o.map(|v| v.to_string()).unwrap_or_default();
    let s =
        |name: &'static str, label: &'static str, opts: Vec<Opt>, current: String| FilterSelect {
            name,
            label,
            options: std::iter::once((String::new(), "全部".to_string(), current.is_empty()))
                .chain(opts.into_iter().map(|o| {
                    let selected = o.value == current;
                    (o.value, o.label, selected)
                }))
                .collect(),
        };
    let mut v = vec![
        s("stage", "阶段", l.stages, text(&f.stage)),
        s("district", "区县", l.districts, text(&f.district)),
        s("platform", "平台", l.platforms, id(&f.platform)),
        s("tier", "投资规模", l.tiers, id(&f.tier)),
        s("industry", "产业", l.industries, id(&f.industry)),
        s("chain", "产业链", l.chains, id(&f.chain)),
        s("list", "清单", l.lists, id(&f.list)),
        s("year", "清单年度", l.years, id(&f.year)),
        s("origin", "来源地", l.origins, text(&f.origin)),
        s("flag", "企业标签", l.flags, text(&f.flag)),
        s("kind", "项目类型", l.kinds, text(&f.kind)),
    ];
    if !mine {
        v.push(s("leader", "联系领导", l.leaders, id(&f.leader)));
    }
    v
}

impl ListPage {
    fn page_link(&self, page: i64) -> String {
        format!("?{}page={page}", self.base_query)
    }
    fn q(&self) -> &str {
        self.filter.q.as_deref().unwrap_or("")
    }
}

/// The query string without `page`, for pagination and sort links.
fn base_query(raw: Option<&str>, drop: &[&str]) -> String {
    let kept: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .filter(|(k, v)| !drop.contains(&k.as_ref()) && !v.is_empty()),
        )
        .finish();
    if kept.is_empty() {
        kept
    } else {
        format!("{kept}&")
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    raw: Option<String>,
    mine: bool,
) -> Result<Response, AppError> {
    let mut filter: ProjectFilter = parse_query(raw.as_deref())?;
    if mine {
        // A leader account without a linked leader follows nothing; never everything.
        filter.leader = Some(user.viewer.leader_id.unwrap_or(-1));
    }
    let page = state.store.list_projects(&user.viewer, &filter).await?;
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let sort_base = base_query(raw.as_deref(), &["page", "sort", "dir"]);
    let sort_links = [
        ("name", "项目名称"),
        ("investment", "协议投资"),
        ("stage", "阶段"),
        ("signed_on", "签约日期"),
    ]
    .iter()
    .map(|(key, label)| {
        let current = filter.sort.as_deref() == Some(*key);
        let dir = if current && filter.dir.as_deref() != Some("asc") {
            "asc"
        } else {
            "desc"
        };
        let arrow = match (current, filter.dir.as_deref()) {
            (true, Some("asc")) => " ↑",
            (true, _) => " ↓",
            _ => "",
        };
        (
            format!("?{sort_base}sort={key}&dir={dir}"),
            label.to_string(),
            arrow.to_string(),
        )
    })
    .collect();
    let tiers = &state.config.tiers;
    let view = ListPage {
        chrome: Chrome::new(state, user, if mine { "mine" } else { "projects" }),
        title: if mine {
            "我联系的项目".into()
        } else {
            "项目库".into()
        },
        selects: filter_selects(&filter, Lookups::load(state, &user.viewer).await?, mine),
        rows: page
            .items
            .iter()
            .map(|p| ProjectView::new(p, tiers))
            .collect(),
        total: page.total,
        total_investment: crate::views::wan_display(page.total_investment_cny),
        total_investment_text: Yuan(page.total_investment_cny).to_string(),
        page: page.page,
        pages,
        base_query: base_query(raw.as_deref(), &["page"]),
        sort_links,
        filter,
        mine,
    };
    Ok(html(&view))
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    list_page(&state, &user, raw, false).await
}

/// `GET /projects/export.xlsx?…`: the list's rows for the same filters (all pages, the
/// caller's scope) as a workbook, under a title naming the scope, the filters and the time.
/// `GET /projects/export.xlsx?<the list's filters>`: the list as a workbook.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    export_list(&state, &user, raw, false).await
}

/// `GET /projects/mine/export.xlsx?<filters>`: the projects the leader follows as a workbook.
pub async fn export_mine(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    export_list(&state, &user, raw, true).await
}

async fn export_list(
    state: &AppState,
    user: &CurrentUser,
    raw: Option<String>,
    mine: bool,
) -> Result<Response, AppError> {
    let mut filter: ProjectFilter = parse_query(raw.as_deref())?;
    (filter.page, filter.per_page) = (None, None);
    if mine {
        filter.leader = Some(user.viewer.leader_id.unwrap_or(-1));
    }
    let lookups = Lookups::load(state, &user.viewer).await?;
    let area = crate::views::area_name(&user.viewer, &lookups);
    let chosen: Vec<String> = filter_selects(&filter, lookups, mine)
        .into_iter()
        .filter_map(|s| {
            s.options
                .into_iter()
                .find(|(value, _, selected)| *selected && !value.is_empty())
                .map(|(_, label, _)| format!("{}：{label}", s.label))
        })
        .chain(
            filter
                .q
                .clone()
                .filter(|q| !q.trim().is_empty())
                .map(|q| format!("关键词：{q}")),
        )
        .collect();
    let mut scope = area.unwrap_or_else(|| state.config.city_name.clone());
    if mine {
        scope.push_str("；我联系的项目");
    }
    if !chosen.is_empty() {
        scope.push_str(&format!("；筛选：{}", chosen.join("，")));
    }
    let scope = crate::export::scope_line(&scope, &user.user.display_name);
    let title = if mine {
        format!("{}我联系的项目清单", state.config.city_name)
    } else {
        format!("{}招商引资项目清单", state.config.city_name)
    };
    crate::export::download_projects(&state.store, &user.viewer, &filter, &title, &scope).await
}

pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    list_page(&state, &user, raw, true).await
}

#[derive(Template)]
#[template(path = "project/detail.html")]
struct DetailPage {
    chrome: Chrome,
    p: ProjectView,
    lists: Vec<ListEntry>,
    timeline: Vec<TimelineItem>,
    changes: Vec<crate::views::HistoryItem>,
    next_stages: Vec<Opt>,
    today: String,
    stage_error: String,
    stage_form: StageForm,
    can_edit: bool,
}

struct TimelineItem {
    stage: String,
    date: String,
    reason: String,
    by: String,
    terminated: bool,
}

fn timeline(history: &[StageChange]) -> Vec<TimelineItem> {
    history
        .iter()
        .map(|h| TimelineItem {
            stage: Stage::parse(&h.to_stage).map_or(h.to_stage.clone(), |s| s.label().to_string()),
            date: h.changed_on.clone(),
            reason: h.reason.clone().unwrap_or_default(),
            by: h.username.clone().unwrap_or_default(),
            terminated: h.to_stage == Stage::Terminated.code(),
        })
        .collect()
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    stage_form: StageForm,
    stage_error: String,
) -> Result<Response, AppError> {
    let row = state.store.get_project(&user.viewer, id).await?;
    let lists = state.store.project_lists(&user.viewer, id).await?;
    let history = state.store.stage_history(&user.viewer, id).await?;
    let next_stages = Stage::parse(&row.stage)
        .map(|s| {
            s.allowed_next()
                .into_iter()
                .map(|n| Opt {
                    value: n.code().into(),
                    label: n.label().into(),
                })
                .collect()
        })
        .unwrap_or_default();
    let status = if stage_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DetailPage {
        chrome: Chrome::new(state, user, "projects"),
        p: ProjectView::new(&row, &state.config.tiers),
        lists,
        timeline: timeline(&history),
        changes: crate::views::change_history(&state.store.audit_for("project", id).await?),
        next_stages,
        today: today().to_string(),
        stage_error,
        stage_form,
        can_edit: user.viewer.can_edit_projects(),
    };
    Ok((status, html(&page)).into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    detail_page(&state, &user, id, StageForm::default(), String::new()).await
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct StageForm {
    pub to: String,
    pub date: String,
    pub reason: String,
    pub version: i64,
}

pub async fn change_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    state.store.get_project(&user.viewer, id).await?;
    require_editor(&user)?;
    let form: StageForm = parse_body(req).await?;
    let fail = |message: String, form: StageForm| {
        let state = state.clone();
        let user = user.clone();
        async move { detail_page(&state, &user, id, form, message).await }
    };
    let Some(to) = Stage::parse(&form.to) else {
        return fail("请选择要变更到的阶段".into(), form).await;
    };
    let Some(date) = parse_date(&form.date) else {
        return fail("请填写有效的变更日期，如 2024-03-05".into(), form).await;
    };
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    match state
        .store
        .transition_project(
            &user.viewer,
            &user.actor,
            id,
            form.version,
            to,
            date,
            reason,
            today(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        Err(StoreError::Invalid { message, .. }) | Err(StoreError::Conflict(message)) => {
            fail(message, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One input on the project form, described for the generic template.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// text, number, date, select, textarea, checks
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String, bool)>,
    pub error: String,
    pub hint: &'static str,
    pub required: bool,
    /// For a dependent select: the field it follows and a JSON map option → parent value.
    pub parent: &'static str,
    pub parent_map: String,
}

pub struct Section {
    pub title: &'static str,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "project/form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    action: String,
    version: i64,
    sections: Vec<Section>,
    list_years: Vec<i32>,
    list_rows: Vec<(String, Vec<(String, bool)>)>,
    lists_error: String,
    error_count: usize,
    banner: String,
    conflict: Option<Conflict>,
    cancel: String,
}

impl Field {
    /// The value as the form shows it: a select's or checkboxes' labels, not their ids.
    fn shown(&self) -> String {
        match self.kind {
            "select" | "checks" => self
                .options
                .iter()
                .filter(|(value, _, selected)| *selected && !value.is_empty())
                .map(|(_, label, _)| label.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            _ => self.value.clone(),
        }
    }
}

impl FormPage {
    /// Every field of the form with its shown value, lists last ("清单 年").
    fn shown_fields(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .sections
            .iter()
            .flat_map(|s| &s.fields)
            .map(|f| (f.label.to_string(), f.shown()))
            .collect();
        let lists = self
            .list_rows
            .iter()
            .flat_map(|(name, cells)| {
                cells
                    .iter()
                    .zip(&self.list_years)
                    .filter(|((_, checked), _)| *checked)
                    .map(move |(_, y)| format!("{name} {y}"))
            })
            .collect::<Vec<_>>()
            .join("、");
        out.push(("所在清单".to_string(), lists));
        out
    }
}

fn project_form(
    state: &AppState,
    user: &CurrentUser,
    lookups: Lookups,
    input: &ProjectInput,
    errors: &[FieldError],
    editing: Option<(i64, i64)>,
    banner: String,
) -> FormPage {
    let err = |name: &str| {
        errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    };
    let opts = |list: &[Opt], value: &str, blank: &str| -> Vec<(String, String, bool)> {
        let mut v = vec![(String::new(), blank.to_string(), value.is_empty())];
        v.extend(
            list.iter()
                .map(|o| (o.value.clone(), o.label.clone(), o.value == value)),
        );
        v
    };
    let f = |name: &'static str,
             label: &'static str,
             kind: &'static str,
             value: &str,
             required: bool| Field {
        name,
        label,
        kind,
        value: value.to_string(),
        options: Vec::new(),
        error: err(name),
        hint: "",
        required,
        parent: "",
        parent_map: String::new(),
    };
    let sel = |name: &'static str,
               label: &'static str,
               list: &[Opt],
               value: &str,
               blank: &str,
               required: bool| Field {
        options: opts(list, value, blank),
        ..f(name, label, "select", value, required)
    };
    let hint = |mut field: Field, hint: &'static str| {
        field.hint = hint;
        field
    };
    let follows = |mut field: Field, parent: &'static str, map: &str| {
        field.parent = parent;
        field.parent_map = map.to_string();
        field
    };
    let mut stage_fields = Vec::new();
    if editing.is_none() {
        let stages: Vec<Opt> = lookups
            .stages
            .iter()
            .filter(|o| o.value != "terminated")
            .cloned()
            .collect();
        stage_fields.push(sel(
            "stage",
            "当前阶段",
            &stages,
            &input.stage,
            "请选择",
            true,
        ));
        stage_fields.push(hint(
            f(
                "stage_date",
                "进入该阶段日期",
                "date",
                &input.stage_date,
                false,
            ),
            "不填则为今天",
        ));
    }
    stage_fields.push(sel(
        "maturity",
        "洽谈成熟度",
        &lookups.maturities,
        &input.maturity,
        "（在谈项目填写）",
        false,
    ));
    stage_fields.push(hint(
        f("signed_on", "签约日期", "date", &input.signed_on, false),
        "已签约项目必填",
    ));
    stage_fields.push(sel(
        "signing_event_id",
        "签约活动",
        &lookups.events,
        &input.signing_event_id,
        "无",
        false,
    ));
    let flags = lookups
        .flags
        .iter()
        .map(|o| {
            (
                o.value.clone(),
                o.label.clone(),
                input.flags.contains(&o.value),
            )
        })
        .collect();
    let sections = vec![
        Section {
            title: "基本信息",
            fields: vec![
                f("name", "项目名称", "text", &input.name, true),
                sel(
                    "kind",
                    "项目类型",
                    &lookups.kinds,
                    &input.kind,
                    "请选择",
                    true,
                ),
                f("investor", "投资方", "text", &input.investor, false),
                hint(
                    f(
                        "project_code",
                        "项目代码",
                        "text",
                        &input.project_code,
                        false,
                    ),
                    "如 2024-330502-04-01-123456，可不填",
                ),
                f("summary", "建设内容", "textarea", &input.summary, false),
            ],
        },
        Section {
            title: "阶段与签约",
            fields: stage_fields,
        },
        Section {
            title: "投资",
            fields: vec![
                sel(
                    "currency",
                    "币种",
                    &lookups.currencies,
                    &input.currency,
                    "请选择",
                    true,
                ),
                hint(
                    f(
                        "investment_wan",
                        "协议投资（万元/万美元）",
                        "text",
                        &input.investment_wan,
                        true,
                    ),
                    "按所选币种，以“万”为单位",
                ),
                hint(
                    f("usd_rate", "美元汇率", "text", &input.usd_rate, false),
                    "美元项目必填，如 7.1884",
                ),
                f("rate_date", "汇率日期", "date", &input.rate_date, false),
                f(
                    "arrived_wan",
                    "实际到位资金（万元）",
                    "text",
                    &input.arrived_wan,
                    false,
                ),
            ],
        },
        Section {
            title: "来源与产业",
            fields: vec![
                sel(
                    "origin",
                    "来源地",
                    &lookups.origins,
                    &input.origin,
                    "请选择",
                    true,
                ),
                hint(
                    f(
                        "origin_detail",
                        "来源地详情",
                        "text",
                        &input.origin_detail,
                        false,
                    ),
                    "如 上海市嘉定区；境外项目填国家或地区",
                ),
                sel(
                    "industry_id",
                    "产业",
                    &lookups.industries,
                    &input.industry_id,
                    "未选择",
                    false,
                ),
                follows(
                    sel(
                        "chain_id",
                        "产业链",
                        &lookups.chains,
                        &input.chain_id,
                        "未选择",
                        false,
                    ),
                    "industry_id",
                    &lookups.chain_parent,
                ),
                Field {
                    options: flags,
                    ..f("flags", "企业标签", "checks", "", false)
                },
            ],
        },
        Section {
            title: "落地与责任",
            fields: vec![
                sel(
                    "district_code",
                    "所属区县",
                    &lookups.districts,
                    &input.district_code,
                    "请选择",
                    true,
                ),
                follows(
                    sel(
                        "platform_id",
                        "所在平台",
                        &lookups.platforms,
                        &input.platform_id,
                        "不在平台内",
                        false,
                    ),
                    "district_code",
                    &lookups.platform_parent,
                ),
                f("land_mu", "用地（亩）", "text", &input.land_mu, false),
                sel(
                    "leader_id",
                    "联系领导",
                    &lookups.leaders,
                    &input.leader_id,
                    "未安排",
                    false,
                ),
                sel(
                    "unit_id",
                    "责任单位",
                    &lookups.units,
                    &input.unit_id,
                    "未指定",
                    false,
                ),
                f("promoter", "招商人员", "text", &input.promoter, false),
                f(
                    "commissioner",
                    "服务专员",
                    "text",
                    &input.commissioner,
                    false,
                ),
            ],
        },
    ];
    let this_year = today()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2024);
    let mut list_years: Vec<i32> = (2023..=this_year + 1).collect();
    for l in &input.lists {
        if let Some(y) = l.split_once(':').and_then(|(_, y)| y.parse::<i32>().ok())
            && !list_years.contains(&y)
        {
            list_years.push(y);
        }
    }
    list_years.sort_unstable();
    let list_rows = lookups
        .lists
        .iter()
        .map(|l| {
            let cells = list_years
                .iter()
                .map(|y| {
                    let v = format!("{}:{y}", l.value);
                    let checked = input.lists.contains(&v);
                    (v, checked)
                })
                .collect();
            (l.label.clone(), cells)
        })
        .collect();
    let (title, action, version, cancel) = match editing {
        Some((id, version)) => (
            format!("编辑项目：{}", input.name),
            format!("/projects/{id}"),
            version,
            format!("/projects/{id}"),
        ),
        None => (
            "新建项目".to_string(),
            "/projects".to_string(),
            0,
            "/projects".to_string(),
        ),
    };
    FormPage {
        lists_error: err("lists"),
        chrome: Chrome::new(state, user, "projects"),
        title,
        action,
        version,
        sections,
        list_years,
        list_rows,
        error_count: errors.len(),
        banner,
        conflict: None,
        cancel,
    }
}

fn input_from_row(p: &ProjectRow, lists: &[ListEntry]) -> ProjectInput {
    ProjectInput {
        name: p.name.clone(),
        kind: p.kind.clone(),
        stage: p.stage.clone(),
        maturity: p.maturity.clone().unwrap_or_default(),
        stage_date: p.stage_date.clone(),
        signed_on: p.signed_on.clone().unwrap_or_default(),
        investor: p.investor.clone(),
        summary: p.summary.clone(),
        currency: p.currency.clone(),
        investment_wan: Yuan(p.investment_orig).wan_text(),
        usd_rate: p.usd_rate.map(|r| UsdRate(r).text()).unwrap_or_default(),
        rate_date: p.rate_date.clone().unwrap_or_default(),
        arrived_wan: Yuan(p.arrived).wan_text(),
        origin: p.origin.clone(),
        origin_detail: p.origin_detail.clone(),
        industry_id: p.industry_id.map(|v| v.to_string()).unwrap_or_default(),
        chain_id: p.chain_id.map(|v| v.to_string()).unwrap_or_default(),
        flags: flags_from_text(&p.flags)
            .iter()
            .map(|f| f.code().to_string())
            .collect(),
        district_code: p.district_code.clone(),
        platform_id: p.platform_id.map(|v| v.to_string()).unwrap_or_default(),
        land_mu: p.land_mu_x100.map(land_text).unwrap_or_default(),
        leader_id: p.leader_id.map(|v| v.to_string()).unwrap_or_default(),
        unit_id: p.unit_id.map(|v| v.to_string()).unwrap_or_default(),
        promoter: p.promoter.clone(),
        commissioner: p.commissioner.clone(),
        signing_event_id: p
            .signing_event_id
            .map(|v| v.to_string())
            .unwrap_or_default(),
        project_code: p.project_code.clone().unwrap_or_default(),
        lists: lists
            .iter()
            .map(|l| format!("{}:{}", l.list_id, l.year))
            .collect(),
    }
}

fn require_editor(user: &CurrentUser) -> Result<(), AppError> {
    if user.viewer.can_edit_projects() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "您的账号只能查看项目，不能新建或修改".into(),
        ))
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    require_editor(&user)?;
    let lookups = Lookups::load(&state, &user.viewer).await?;
    let input = ProjectInput {
        stage: "lead".into(),
        currency: "CNY".into(),
        kind: "industrial".into(),
        district_code: if lookups.districts.len() == 1 {
            lookups.districts[0].value.clone()
        } else {
            String::new()
        },
        platform_id: if matches!(user.viewer.area, Some(hezuo_domain::Area::Platform(_))) {
            lookups
                .platforms
                .first()
                .map(|p| p.value.clone())
                .unwrap_or_default()
        } else {
            String::new()
        },
        ..Default::default()
    };
    Ok(html(&project_form(
        &state,
        &user,
        lookups,
        &input,
        &[],
        None,
        String::new(),
    )))
}

/// Store errors that belong to a field become field errors on the form.
fn field_errors(e: StoreError) -> Result<(Vec<FieldError>, String), AppError> {
    match e {
        StoreError::Invalid { field, message } => {
            Ok((vec![FieldError { field, message }], String::new()))
        }
        StoreError::Conflict(message) if message.contains("项目代码") => Ok((
            vec![FieldError {
                field: "project_code".into(),
                message,
            }],
            String::new(),
        )),
        StoreError::Conflict(message) => Ok((Vec::new(), message)),
        other => Err(other.into()),
    }
}

async fn rerender(
    state: &AppState,
    user: &CurrentUser,
    input: &ProjectInput,
    errors: Vec<FieldError>,
    banner: String,
    editing: Option<(i64, i64)>,
) -> Result<Response, AppError> {
    let lookups = Lookups::load(state, &user.viewer).await?;
    let status = if banner.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::CONFLICT
    };
    Ok((
        status,
        html(&project_form(
            state, user, lookups, input, &errors, editing, banner,
        )),
    )
        .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    require_editor(&user)?;
    let input: ProjectInput = parse_body(req).await?;
    let draft = match input.validate(today()) {
        Ok(d) => d,
        Err(errors) => return rerender(&state, &user, &input, errors, String::new(), None).await,
    };
    match state
        .store
        .create_project(&user.viewer, &user.actor, &draft)
        .await
    {
        Ok(row) => Ok(Redirect::to(&format!("/projects/{}", row.id)).into_response()),
        Err(e) => {
            let (errors, banner) = field_errors(e)?;
            rerender(&state, &user, &input, errors, banner, None).await
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    let row = state.store.get_project(&user.viewer, id).await?;
    require_editor(&user)?;
    let lists = state.store.project_lists(&user.viewer, id).await?;
    let lookups = Lookups::load(&state, &user.viewer).await?;
    let input = input_from_row(&row, &lists);
    Ok(html(&project_form(
        &state,
        &user,
        lookups,
        &input,
        &[],
        Some((id, row.version)),
        String::new(),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let current = state.store.get_project(&user.viewer, id).await?;
    require_editor(&user)?;
    // Read as two structs rather than one with `#[serde(flatten)]`: through a flattened
    // struct a list field sent once (`lists=5:2023`, one flag) arrives as a string, not a list,
    // and the whole form would be refused.
    let body = body_bytes(req).await?;
    let mut input: ProjectInput = parse_pairs(&body)?;
    let VersionForm { version } = parse_pairs(&body)?;
    // The stage is changed through the stage dialog, never through the form.
    input.stage = current.stage.clone();
    input.stage_date = current.stage_date.clone();
    let draft = match input.validate(today()) {
        Ok(d) => d,
        Err(errors) => {
            return rerender(
                &state,
                &user,
                &input,
                errors,
                String::new(),
                Some((id, version)),
            )
            .await;
        }
    };
    match state
        .store
        .update_project(&user.viewer, &user.actor, id, version, &draft)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        Err(StoreError::Conflict(message)) if !message.contains("项目代码") => {
            stale_save(&state, &user, id, &input).await
        }
        Err(e) => {
            let (errors, banner) = field_errors(e)?;
            rerender(&state, &user, &input, errors, banner, Some((id, version))).await
        }
    }
}

/// A save against a version that is no longer the latest: the form again with what was typed,
/// the fields where it differs from the latest version, and that version's number, so saving
/// again applies the user's values over it.
async fn stale_save(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: &ProjectInput,
) -> Result<Response, AppError> {
    let latest = state.store.get_project(&user.viewer, id).await?;
    let lists = state.store.project_lists(&user.viewer, id).await?;
    let lookups = Lookups::load(state, &user.viewer).await?;
    let editing = Some((id, latest.version));
    let theirs = project_form(
        state,
        user,
        lookups.clone(),
        &input_from_row(&latest, &lists),
        &[],
        editing,
        String::new(),
    );
    let mut page = project_form(state, user, lookups, input, &[], editing, String::new());
    let pairs = side_by_side(page.shown_fields(), theirs.shown_fields());
    page.conflict = Some(
        Conflict::load(
            &state.store,
            "project",
            id,
            format!("/projects/{id}"),
            pairs,
        )
        .await?,
    );
    Ok((StatusCode::CONFLICT, html(&page)).into_response())
}
