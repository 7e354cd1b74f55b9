//! The `TestApp`: a fresh SQLite database per test, a small city seeded through the store's
//! public API, and the router driven with `tower::ServiceExt::oneshot` (no socket). A
//! [`Client`] is a browser: it keeps cookies and the session's CSRF token; the `api_*` helpers
//! are an API client with a bearer token.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hezuo_domain::{ProjectInput, Viewer};
use hezuo_store::auth::UserInput;
use hezuo_store::dict::{DictItem, DictKind};
use hezuo_store::project::ProjectRow;
use hezuo_store::{Actor, Store};
use hezuo_web::{WebConfig, app};
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tower::ServiceExt;

/// Every seeded account's password.
pub const PASSWORD: &str = "Passw0rd!";

pub const WUXING: &str = "330502";
pub const NANXUN: &str = "330503";
pub const CHANGXING: &str = "330522";
pub const PLATFORM_CODE: &str = "CXKF";

/// The seeded accounts, named after their roles.
pub const USERS: [&str; 6] = ["admin", "office", "area", "area-platform", "unit", "leader"];

/// 吴兴区, signed 2024-03-05, 5亿元; followed by the leader, the unit is responsible.
pub const WX_EV: &str = "吴兴电驱系统项目";
/// 吴兴区, lead since 2024-01-10, 1亿元.
pub const WX_ROBOT: &str = "吴兴智能装备项目";
/// 吴兴区, in negotiation, 8000万元; the unit is responsible.
pub const WX_CULTURE: &str = "吴兴文旅综合体";
/// 南浔区, started, 2亿元; followed by the leader.
pub const NX_LOGISTICS: &str = "南浔物流园项目";
/// 南浔区, lead, 5000万元.
pub const NX_MATERIALS: &str = "南浔新材料项目";
/// 长兴县 in the platform, signed, 12亿元; followed by the leader, the unit is responsible.
pub const CX_BATTERY: &str = "长兴新能源电池项目";
/// 长兴县 outside the platform, lead, 3000万元.
pub const CX_TOWN: &str = "长兴县城更新项目";

pub const ALL_PROJECTS: [&str; 7] = [
    WX_EV,
    WX_ROBOT,
    WX_CULTURE,
    NX_LOGISTICS,
    NX_MATERIALS,
    CX_BATTERY,
    CX_TOWN,
];

/// What the seed created.
pub struct Fixture {
    pub wuxing: DictItem,
    pub nanxun: DictItem,
    pub changxing: DictItem,
    /// 长兴经济开发区, in 长兴县.
    pub platform: DictItem,
    pub unit: DictItem,
    pub leader: DictItem,
    pub industry: DictItem,
    pub chain: DictItem,
    pub list: DictItem,
    pub projects: Vec<ProjectRow>,
}

impl Fixture {
    #[track_caller]
    pub fn project(&self, name: &str) -> &ProjectRow {
        self.projects
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no fixture project {name}"))
    }

    pub fn id(&self, name: &str) -> i64 {
        self.project(name).id
    }
}

/// Today as the server sees it: Beijing time, whatever the machine's zone (between 16:00 and
/// 24:00 UTC Beijing is already on the next day).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive()
}

fn unique_db_path() -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!(
        "hezuo_web_test_{}_{n}_{nanos}.db",
        std::process::id()
    ))
}

fn seed_actor() -> Actor {
    Actor::system("web-test")
}

async fn dict(store: &Store, kind: DictKind, name: &str, values: &[&str]) -> DictItem {
    let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
    store
        .dict_create(&seed_actor(), kind, name, &values)
        .await
        .unwrap_or_else(|e| panic!("seed {kind:?} {name}: {e:?}"))
}

/// The smallest valid project, as the form or the API carries it.
pub fn project_input(name: &str, district: &str) -> ProjectInput {
    ProjectInput {
        name: name.into(),
        kind: "industrial".into(),
        stage: "lead".into(),
        stage_date: "2024-01-10".into(),
        currency: "CNY".into(),
        investment_wan: "10000".into(),
        origin: "shanghai".into(),
        district_code: district.into(),
        ..Default::default()
    }
}

/// A valid project as JSON for `POST /api/v1/projects`.
pub fn project_json(name: &str, district: &str) -> Value {
    serde_json::to_value(project_input(name, district)).expect("a project input serializes")
}

/// A valid project as the pairs of the new-project form (without `_csrf`).
pub fn project_form(name: &str, district: &str) -> Vec<(String, String)> {
    [
        ("name", name),
        ("kind", "industrial"),
        ("stage", "lead"),
        ("stage_date", "2024-01-10"),
        ("currency", "CNY"),
        ("investment_wan", "10000"),
        ("origin", "shanghai"),
        ("district_code", district),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// One HTTP answer, read to the end.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as sent (a workbook, say).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn location(&self) -> &str {
        self.header("location")
            .unwrap_or_else(|| panic!("no Location header on a {} answer", self.status))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The `N` of `共 <strong>N</strong> 个项目` on a list page.
    #[track_caller]
    pub fn page_total(&self) -> i64 {
        let start = self
            .text
            .find("共 <strong>")
            .unwrap_or_else(|| panic!("no total on the page: {}", self.text))
            + "共 <strong>".len();
        let rest = &self.text[start..];
        let end = rest
            .find("</strong> 个项目")
            .expect("the total is followed by 个项目");
        rest[..end].parse().expect("the total is a number")
    }

    /// The session's CSRF token as the page's forms carry it.
    pub fn csrf_token(&self) -> Option<String> {
        let marker = r#"name="_csrf" value=""#;
        let start = self.text.find(marker)? + marker.len();
        let end = self.text[start..].find('"')?;
        Some(self.text[start..start + end].to_string())
    }

    /// Panics with the body when the status is not the expected one.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(
            self.status, expected,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
}

pub struct TestApp {
    pub router: axum::Router,
    pub store: Store,
    pub fx: Fixture,
    db_path: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.db_path.clone().into_os_string();
            p.push(suffix);
            std::fs::remove_file(p).ok();
        }
    }
}

impl TestApp {
    /// A fresh database with the fixture, and the application on top of it.
    pub async fn spawn() -> TestApp {
        let db_path = unique_db_path();
        let store = Store::connect(&format!("sqlite://{}", db_path.display()))
            .await
            .expect("a fresh database");
        let fx = seed(&store).await;
        let router = app(store.clone(), WebConfig::default());
        TestApp {
            router,
            store,
            fx,
            db_path,
        }
    }

    pub async fn request(&self, req: Request<Body>) -> TestResponse {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("the router is infallible");
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.expect("a readable body").to_bytes();
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// A browser that has not logged in.
    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    /// Opens the login form and submits it; returns the answer and the browser.
    pub async fn login(&self, username: &str, password: &str) -> (TestResponse, Client<'_>) {
        let mut client = self.client();
        let form = client.get("/login").await;
        form.assert_status(StatusCode::OK);
        client.csrf = form
            .csrf_token()
            .expect("the login form carries a CSRF token");
        let resp = client
            .post_form("/login", &[("username", username), ("password", password)])
            .await;
        (resp, client)
    }

    /// A logged-in browser holding its session cookie and the session's CSRF token.
    pub async fn login_as(&self, username: &str) -> Client<'_> {
        let (resp, mut client) = self.login(username, PASSWORD).await;
        resp.assert_status(StatusCode::SEE_OTHER);
        let page = client.get("/projects").await;
        page.assert_status(StatusCode::OK);
        client.csrf = page
            .csrf_token()
            .expect("a logged-in page carries the session's CSRF token");
        client
    }

    /// A bearer token for the user, as `hezuo token create` would make it.
    pub async fn api_token_for(&self, username: &str) -> String {
        self.store
            .create_token(&seed_actor(), username, "web-test")
            .await
            .expect("a token")
    }

    async fn api(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> TestResponse {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(v).expect("JSON"))
            }
            None => Body::empty(),
        };
        self.request(req.body(body).expect("a request")).await
    }

    pub async fn api_get(&self, token: &str, path: &str) -> TestResponse {
        self.api(Method::GET, token, path, None).await
    }

    pub async fn api_post_json(&self, token: &str, path: &str, body: &Value) -> TestResponse {
        self.api(Method::POST, token, path, Some(body)).await
    }

    pub async fn api_put_json(&self, token: &str, path: &str, body: &Value) -> TestResponse {
        self.api(Method::PUT, token, path, Some(body)).await
    }

    pub async fn viewer_of(&self, username: &str) -> Viewer {
        self.store
            .user_by_name(username)
            .await
            .expect("a seeded user")
            .viewer()
    }

    /// A project as the administrator sees it, straight from the store.
    pub async fn project_now(&self, id: i64) -> ProjectRow {
        self.store
            .get_project(&self.viewer_of("admin").await, id)
            .await
            .expect("the project exists")
    }

    /// How many projects the city has.
    pub async fn project_count(&self) -> i64 {
        let filter = hezuo_store::project::ProjectFilter::default();
        self.store
            .list_projects(&self.viewer_of("admin").await, &filter)
            .await
            .expect("a list")
            .total
    }
}

/// A browser: cookies in, cookies out, and the CSRF token its pages carry.
pub struct Client<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    pub csrf: String,
}

impl Client<'_> {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> TestResponse {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("a cookie header"));
        }
        let resp = self.app.request(req).await;
        for set in resp.set_cookies() {
            let Some((name, rest)) = set.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("");
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        resp
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("a request"))
            .await
    }

    /// Posts a form with the CSRF token the pages carry.
    pub async fn post_form(&mut self, path: &str, pairs: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf.clone();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_form_raw(path, &all).await
    }

    /// Posts exactly the given pairs (no CSRF token added).
    pub async fn post_form_raw(&mut self, path: &str, pairs: &[(&str, &str)]) -> TestResponse {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a request");
        self.send(req).await
    }

    /// Posts a multipart form: `_csrf` (unless `None`) first, then a file field `file`.
    pub async fn post_file(
        &mut self,
        path: &str,
        csrf: Option<&str>,
        file_name: &str,
        content: &[u8],
    ) -> TestResponse {
        self.post_file_with(path, csrf, &[], file_name, content)
            .await
    }

    /// Posts a multipart form: `_csrf` (unless `None`), the text `fields`, then the file.
    pub async fn post_file_with(
        &mut self,
        path: &str,
        csrf: Option<&str>,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &[u8],
    ) -> TestResponse {
        self.post_multipart(path, csrf, fields, &[("file", file_name, content)])
            .await
    }

    /// Posts a multipart form: `_csrf` (unless `None`), the text `fields`, then each file as
    /// (field name, file name, content).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        csrf: Option<&str>,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let boundary = "----hezuo-test-boundary";
        let mut body = Vec::new();
        let texts = csrf
            .map(|t| ("_csrf", t))
            .into_iter()
            .chain(fields.iter().copied());
        for (name, value) in texts {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, file_name, content) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("a request");
        self.send(req).await
    }

    /// Posts owned pairs (a form built with [`project_form`]) with the CSRF token.
    pub async fn post_pairs(&mut self, path: &str, pairs: &[(String, String)]) -> TestResponse {
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(path, &borrowed).await
    }
}

/// Three districts, a platform in 长兴县, one of each dictionary, an account per role and seven
/// projects spread over the districts.
async fn seed(store: &Store) -> Fixture {
    use DictKind::*;
    let wuxing = dict(store, District, "吴兴区", &[WUXING]).await;
    let nanxun = dict(store, District, "南浔区", &[NANXUN]).await;
    let changxing = dict(store, District, "长兴县", &[CHANGXING]).await;
    let platform = dict(
        store,
        Platform,
        "长兴经济开发区",
        &[PLATFORM_CODE, CHANGXING],
    )
    .await;
    let unit = dict(store, Unit, "市经信局", &["JXJ"]).await;
    let leader = dict(store, Leader, "张市长", &["市长"]).await;
    let industry = dict(store, Industry, "新能源汽车及关键零部件", &[]).await;
    let chain = dict(store, Chain, "电驱系统", &[&industry.id.to_string()]).await;
    let list = dict(store, List, "省重大产业项目", &[]).await;

    let user = |username: &str, role: &str| UserInput {
        username: username.into(),
        display_name: format!("测试{username}"),
        role: role.into(),
        ..Default::default()
    };
    let accounts = [
        user("admin", "admin"),
        user("office", "office"),
        UserInput {
            area: WUXING.into(),
            ..user("area", "area")
        },
        UserInput {
            area: PLATFORM_CODE.into(),
            ..user("area-platform", "area")
        },
        UserInput {
            unit_id: Some(unit.id),
            ..user("unit", "unit")
        },
        UserInput {
            leader_id: Some(leader.id),
            ..user("leader", "leader")
        },
    ];
    for input in &accounts {
        store
            .create_user(&seed_actor(), input, PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("seed user {}: {e:?}", input.username));
    }
    let admin = store
        .user_by_name("admin")
        .await
        .expect("the admin")
        .viewer();

    let (unit_id, leader_id, platform_id) = (
        unit.id.to_string(),
        leader.id.to_string(),
        platform.id.to_string(),
    );
    let inputs = vec![
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-03-05".into(),
            investment_wan: "50000".into(),
            investor: "上海电驱动股份有限公司".into(),
            industry_id: industry.id.to_string(),
            chain_id: chain.id.to_string(),
            leader_id: leader_id.clone(),
            unit_id: unit_id.clone(),
            lists: vec![format!("{}:2024", list.id)],
            ..project_input(WX_EV, WUXING)
        },
        project_input(WX_ROBOT, WUXING),
        ProjectInput {
            stage: "negotiating".into(),
            investment_wan: "8000".into(),
            kind: "culture_tourism".into(),
            unit_id: unit_id.clone(),
            ..project_input(WX_CULTURE, WUXING)
        },
        ProjectInput {
            stage: "started".into(),
            stage_date: "2024-05-20".into(),
            signed_on: "2024-02-01".into(),
            investment_wan: "20000".into(),
            origin: "jiangsu".into(),
            leader_id: leader_id.clone(),
            ..project_input(NX_LOGISTICS, NANXUN)
        },
        ProjectInput {
            investment_wan: "5000".into(),
            ..project_input(NX_MATERIALS, NANXUN)
        },
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-04-18".into(),
            investment_wan: "120000".into(),
            platform_id,
            leader_id,
            unit_id,
            project_code: "2024-330522-38-01-000001".into(),
            ..project_input(CX_BATTERY, CHANGXING)
        },
        ProjectInput {
            investment_wan: "3000".into(),
            ..project_input(CX_TOWN, CHANGXING)
        },
    ];
    let mut projects = Vec::new();
    for input in inputs {
        let draft = input
            .validate(today())
            .unwrap_or_else(|e| panic!("seed project {}: {e:?}", input.name));
        let row = store
            .create_project(&admin, &seed_actor(), &draft)
            .await
            .unwrap_or_else(|e| panic!("seed project {}: {e:?}", input.name));
        projects.push(row);
    }
    Fixture {
        wuxing,
        nanxun,
        changxing,
        platform,
        unit,
        leader,
        industry,
        chain,
        list,
        projects,
    }
}
