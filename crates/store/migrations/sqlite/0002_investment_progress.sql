-- Investment progress (投资进度): annual plans, monthly reports with their review, blocking
-- factors (要素制约) that stay open until resolved, and reference figures entered for the province.

CREATE TABLE annual_plans (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    planned BIGINT NOT NULL,                 -- planned investment for the year, yuan
    planned_start TEXT,                      -- YYYY-MM
    planned_completion TEXT,                 -- YYYY-MM
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (project_id, year)
);
CREATE INDEX annual_plans_year ON annual_plans(year, project_id);

CREATE TABLE monthly_progress (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    invested BIGINT NOT NULL,                -- investment completed in the month, yuan
    image_progress TEXT NOT NULL DEFAULT '', -- 形象进度
    coordination TEXT NOT NULL DEFAULT '',   -- 需协调事项
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'returned')),
    return_reason TEXT,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (project_id, year, month)
);
CREATE INDEX monthly_progress_period ON monthly_progress(year, month, project_id);

CREATE TABLE blockers (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                      -- land, funding, approval, energy, environment, demolition, other
    description TEXT NOT NULL,
    opened_on TEXT NOT NULL,                 -- YYYY-MM-DD
    resolved_on TEXT,
    progress_id BIGINT REFERENCES monthly_progress(id) ON DELETE SET NULL
);
CREATE INDEX blockers_open ON blockers(resolved_on, kind);
CREATE INDEX blockers_project ON blockers(project_id);

-- A figure for the whole province, to state "快于/慢于全省 x 个百分点"; tenths of a percent.
CREATE TABLE province_references (
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    metric TEXT NOT NULL,
    value_permille BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, month, metric)
);

CREATE INDEX stage_changes_reached ON stage_changes(project_id, to_stage, changed_on);
CREATE INDEX projects_signed_on ON projects(signed_on);
