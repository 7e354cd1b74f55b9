-- Key items (重点事项) of the year's plans and lists, the cooperation agreements (合作协议) whose
-- clauses they carry out, monthly progress with evidence files, and the year-end assessment (考核).
-- A key item's status is not stored: it follows from its milestones and the day it is read.

CREATE TABLE work_plans (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('work_points', 'cooperation_list', 'flagship')),
    name TEXT NOT NULL,
    categories TEXT NOT NULL,                -- the plan's task areas, one per line, in order
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, name)
);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    partner TEXT NOT NULL,                   -- e.g. 上海市松江区
    partner_kind TEXT NOT NULL CHECK (partner_kind IN ('city', 'district', 'body')),
    partner_province TEXT NOT NULL DEFAULT '', -- 上海市, 江苏省, 安徽省, 浙江省 …
    signed_on TEXT NOT NULL,                 -- YYYY-MM-DD
    level TEXT NOT NULL,                     -- 签约层级: 市级, 县区级, 部门级 …
    fields TEXT NOT NULL DEFAULT '',         -- 合作领域, joined with 、
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE agreement_clauses (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,                     -- 第N条, from 1
    body TEXT NOT NULL,
    UNIQUE (agreement_id, seq)
);

CREATE TABLE key_items (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES work_plans(id),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    lead_unit_id BIGINT NOT NULL REFERENCES units(id),
    partner_units TEXT NOT NULL DEFAULT '',  -- 配合单位, joined with 、
    partner_regions TEXT NOT NULL DEFAULT '',-- 合作地区, joined with 、
    target TEXT NOT NULL DEFAULT '',         -- 目标任务
    clause_id BIGINT REFERENCES agreement_clauses(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX key_items_plan ON key_items(plan_id, category);
CREATE INDEX key_items_unit ON key_items(lead_unit_id);
CREATE INDEX key_items_clause ON key_items(clause_id);

-- Milestones (节点): done_on is set when the lead unit reports it done, cleared if the office
-- sends that report back.
CREATE TABLE key_item_milestones (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES key_items(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,                    -- YYYY-MM-DD
    done_on TEXT,
    done_progress_id BIGINT                  -- the report that marked it done
);
CREATE INDEX key_item_milestones_item ON key_item_milestones(item_id, due_on);
CREATE INDEX key_item_milestones_due ON key_item_milestones(due_on);

CREATE TABLE key_item_projects (
    item_id BIGINT NOT NULL REFERENCES key_items(id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, project_id)
);

CREATE TABLE key_item_progress (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES key_items(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    content TEXT NOT NULL,                   -- 工作进展
    next_steps TEXT NOT NULL DEFAULT '',     -- 存在问题及下步打算
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'returned')),
    return_reason TEXT,
    returned_count BIGINT NOT NULL DEFAULT 0, -- times the office sent it back (assessment)
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (item_id, year, month)
);
CREATE INDEX key_item_progress_period ON key_item_progress(year, month);

-- Evidence files (佐证材料) kept in the database, so a backup holds them; served under a safe name.
CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY,
    progress_id BIGINT NOT NULL REFERENCES key_item_progress(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,                 -- cleaned name as uploaded
    content_type TEXT NOT NULL,              -- decided from the content, not the name
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX evidence_files_progress ON evidence_files(progress_id);

-- The assessment's rules per year (JSON of AssessmentRules) and the office's adjustments,
-- in hundredths of a point, each with its reason.
CREATE TABLE assessment_rules (
    year BIGINT PRIMARY KEY,
    rules_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE assessment_adjustments (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    points_x100 BIGINT NOT NULL,
    reason TEXT NOT NULL,
    made_by BIGINT REFERENCES users(id),
    made_at TEXT NOT NULL
);
CREATE INDEX assessment_adjustments_year ON assessment_adjustments(year, unit_id);
