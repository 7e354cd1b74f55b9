-- The project library: dictionaries, accounts, projects, stage history and the audit log.
-- Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 text in UTC, money integer yuan,
-- so one SQL text reads the same on SQLite and PostgreSQL.

CREATE TABLE districts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,          -- administrative code, e.g. 330502
    name TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE platforms (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,          -- short code used for --area, e.g. CHQ
    name TEXT NOT NULL UNIQUE,
    district_code TEXT NOT NULL REFERENCES districts(code),
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE leaders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE industries (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE chains (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    industry_id BIGINT REFERENCES industries(id),
    version BIGINT NOT NULL DEFAULT 1
);

-- 清单: 省长三角一体化重大项目, 省重大项目 … a project is on a list for a given year.
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE signing_events (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'office', 'area', 'unit', 'leader')),
    district_code TEXT REFERENCES districts(code),
    platform_id BIGINT REFERENCES platforms(id),
    unit_id BIGINT REFERENCES units(id),
    leader_id BIGINT REFERENCES leaders(id),
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- Browser sessions; only a hash of the cookie value is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens for API clients; only a hash is kept.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);

-- Failed logins per key (user name or address) within the current window, for throttling.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start TEXT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    maturity TEXT,
    stage_date TEXT NOT NULL,            -- date of the latest stage change
    signed_on TEXT,                      -- date the project reached 签约
    investor TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT 'CNY',
    investment_orig BIGINT NOT NULL,     -- agreed amount in its own currency (yuan or US dollars)
    usd_rate BIGINT,                     -- USD→CNY rate in ten-thousandths
    rate_date TEXT,
    investment_cny BIGINT NOT NULL,      -- agreed amount in yuan; tiers count on this
    arrived BIGINT NOT NULL DEFAULT 0,   -- funds arrived, yuan
    origin TEXT NOT NULL,
    origin_detail TEXT NOT NULL DEFAULT '',
    industry_id BIGINT REFERENCES industries(id),
    chain_id BIGINT REFERENCES chains(id),
    flags TEXT NOT NULL DEFAULT '',      -- comma-separated flag codes
    district_code TEXT NOT NULL REFERENCES districts(code),
    platform_id BIGINT REFERENCES platforms(id),
    land_mu_x100 BIGINT,                 -- land in hundredths of a 亩
    leader_id BIGINT REFERENCES leaders(id),
    unit_id BIGINT REFERENCES units(id),
    promoter TEXT NOT NULL DEFAULT '',
    commissioner TEXT NOT NULL DEFAULT '',
    signing_event_id BIGINT REFERENCES signing_events(id),
    project_code TEXT UNIQUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_district ON projects(district_code);
CREATE INDEX projects_platform ON projects(platform_id);
CREATE INDEX projects_stage ON projects(stage);
CREATE INDEX projects_leader ON projects(leader_id);
CREATE INDEX projects_unit ON projects(unit_id);
CREATE INDEX projects_investment ON projects(investment_cny);

CREATE TABLE project_list_entries (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    list_id BIGINT NOT NULL REFERENCES lists(id),
    year BIGINT NOT NULL,
    PRIMARY KEY (project_id, list_id, year)
);
CREATE INDEX project_list_entries_list ON project_list_entries(list_id, year);

CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    reason TEXT,
    user_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX stage_changes_project ON stage_changes(project_id);

-- Every change, written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
