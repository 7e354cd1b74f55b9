-- Each annual plan carries its project's district, and a year's plans are stored in district
-- order: the table is clustered by (year, district, project). A figure split by district then
-- reads each district's plans as one run and aggregates as it goes, where it sorted every
-- plan of the year by its project's district before (SQLite groups by sorting, and the sorter
-- carried each row's values: 100 → 70 ms for the year's plans at 100k projects); last year's
-- completion by district no longer joins the projects at all (80 → 10 ms).
--
-- The district is the project's, always: whoever writes a plan (the store names it; a plan
-- written without it, or with another, is corrected as it is written) and whenever a project
-- moves to another district (its plans move with it), in the same transaction.
CREATE TABLE annual_plans_by_district (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    district_code TEXT NOT NULL DEFAULT '',  -- the project's, kept by the triggers below
    planned BIGINT NOT NULL,                 -- planned investment for the year, yuan
    planned_start TEXT,                      -- YYYY-MM
    planned_completion TEXT,                 -- YYYY-MM
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    done_from BIGINT,
    done_to BIGINT,
    done1 BIGINT NOT NULL DEFAULT 0,
    done2 BIGINT NOT NULL DEFAULT 0,
    done3 BIGINT NOT NULL DEFAULT 0,
    done4 BIGINT NOT NULL DEFAULT 0,
    done5 BIGINT NOT NULL DEFAULT 0,
    done6 BIGINT NOT NULL DEFAULT 0,
    done7 BIGINT NOT NULL DEFAULT 0,
    done8 BIGINT NOT NULL DEFAULT 0,
    done9 BIGINT NOT NULL DEFAULT 0,
    done10 BIGINT NOT NULL DEFAULT 0,
    done11 BIGINT NOT NULL DEFAULT 0,
    done12 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (year, district_code, project_id)
) WITHOUT ROWID;
INSERT INTO annual_plans_by_district (project_id, year, district_code, planned, planned_start,
    planned_completion, version, updated_at, done_from, done_to, done1, done2, done3, done4, done5,
    done6, done7, done8, done9, done10, done11, done12)
SELECT ap.project_id, ap.year, p.district_code, ap.planned, ap.planned_start,
    ap.planned_completion, ap.version, ap.updated_at, ap.done_from, ap.done_to, ap.done1, ap.done2,
    ap.done3, ap.done4, ap.done5, ap.done6, ap.done7, ap.done8, ap.done9, ap.done10, ap.done11,
    ap.done12
FROM annual_plans ap JOIN projects p ON p.id = ap.project_id;
-- Dropping the table drops its two summary triggers (0004); they are created again below as
-- they were. The reports' triggers name the table and find the new one: the rename is the
-- legacy one, which leaves other objects' text alone (the modern rename checks them while
-- the table is missing, and fails).
DROP TABLE annual_plans;
PRAGMA legacy_alter_table = ON;
ALTER TABLE annual_plans_by_district RENAME TO annual_plans;
PRAGMA legacy_alter_table = OFF;
CREATE UNIQUE INDEX annual_plans_project ON annual_plans(project_id, year);

-- As in 0004: a plan added (or moved) after its reports were filed sums them at once.
CREATE TRIGGER annual_plans_summary_insert AFTER INSERT ON annual_plans BEGIN
    UPDATE annual_plans SET (done_from, done_to, done1, done2, done3, done4, done5, done6, done7, done8, done9, done10, done11, done12) = (
        SELECT MIN(month), MAX(month),
                COALESCE(SUM(CASE WHEN month <= 1 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 2 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 3 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 4 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 5 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 6 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 7 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 8 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 9 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 10 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 11 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 12 THEN invested ELSE 0 END), 0)
            FROM monthly_progress
            WHERE project_id = NEW.project_id AND year = NEW.year AND status <> 'returned')
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

CREATE TRIGGER annual_plans_summary_update AFTER UPDATE OF project_id, year ON annual_plans BEGIN
    UPDATE annual_plans SET (done_from, done_to, done1, done2, done3, done4, done5, done6, done7, done8, done9, done10, done11, done12) = (
        SELECT MIN(month), MAX(month),
                COALESCE(SUM(CASE WHEN month <= 1 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 2 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 3 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 4 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 5 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 6 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 7 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 8 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 9 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 10 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 11 THEN invested ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN month <= 12 THEN invested ELSE 0 END), 0)
            FROM monthly_progress
            WHERE project_id = NEW.project_id AND year = NEW.year AND status <> 'returned')
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

-- A plan written without its project's district, or with another, takes the project's. The
-- store names the district as it inserts, so this writes nothing then (a second write would
-- move the row: the district is part of the key).
CREATE TRIGGER annual_plans_district_insert AFTER INSERT ON annual_plans
WHEN NEW.district_code IS NOT (SELECT district_code FROM projects WHERE id = NEW.project_id)
BEGIN
    UPDATE annual_plans SET district_code = (SELECT district_code FROM projects WHERE id = NEW.project_id)
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

CREATE TRIGGER annual_plans_district_update AFTER UPDATE OF project_id, district_code ON annual_plans
WHEN NEW.district_code IS NOT (SELECT district_code FROM projects WHERE id = NEW.project_id)
BEGIN
    UPDATE annual_plans SET district_code = (SELECT district_code FROM projects WHERE id = NEW.project_id)
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

-- A project moved to another district takes its plans with it.
CREATE TRIGGER projects_plan_district AFTER UPDATE OF district_code ON projects
WHEN OLD.district_code IS NOT NEW.district_code
BEGIN
    UPDATE annual_plans SET district_code = NEW.district_code WHERE project_id = NEW.id;
END;
