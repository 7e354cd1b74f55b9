-- Summaries the cockpit's figures read instead of the report and stage-change rows, kept by
-- triggers in the same transaction as every write to those rows, so a figure is never stale:
-- whatever writes (the store, an import, a bulk load, a hand-written UPDATE), the summary
-- changes with it or not at all. The application never writes them. The stage lists here
-- are the domain's Stage::has_started / has_completed; a contract test holds them equal.
-- SQLite triggers cannot call a procedure, so each trigger spells out the recomputation (on
-- PostgreSQL they share one function); the contract tests compare every one with the rows.

-- Per annual plan: Σ investment of the plan's reports that are not returned, cumulative to each
-- month (done1 = January … done12 = to December), and the first and last month with such a
-- report (NULL: none). Reports of a year without a plan count in no figure and are not summed.
--
-- The plans are rebuilt clustered by (year, project): a figure reads one year's plans as one
-- contiguous range instead of an index entry and a row look-up per plan (~30% faster at 100k
-- projects). A unique index keeps a project's plans quick to find.
CREATE TABLE annual_plans_by_year (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
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
    PRIMARY KEY (year, project_id)
) WITHOUT ROWID;
INSERT INTO annual_plans_by_year (project_id, year, planned, planned_start, planned_completion, version, updated_at)
    SELECT project_id, year, planned, planned_start, planned_completion, version, updated_at FROM annual_plans;
DROP TABLE annual_plans;
ALTER TABLE annual_plans_by_year RENAME TO annual_plans;
CREATE UNIQUE INDEX annual_plans_project ON annual_plans(project_id, year);

-- Per project: the first date it reached 开工 or a later stage, and 竣工 or later (NULL: not yet).
ALTER TABLE projects ADD COLUMN started_on TEXT;
ALTER TABLE projects ADD COLUMN completed_on TEXT;
-- What a figure needs of a project besides the plan, read from this narrow index instead of
-- the wide project rows: scope (district, platform, unit) and the two dates.
CREATE INDEX projects_figures ON projects(id, district_code, platform_id, unit_id, started_on, completed_on);

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
            WHERE monthly_progress.project_id = annual_plans.project_id AND monthly_progress.year = annual_plans.year AND status <> 'returned');
UPDATE projects SET (started_on, completed_on) = (
    SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
           MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
    FROM stage_changes WHERE stage_changes.project_id = projects.id);

CREATE TRIGGER monthly_progress_summary_insert AFTER INSERT ON monthly_progress BEGIN
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

CREATE TRIGGER monthly_progress_summary_update AFTER UPDATE ON monthly_progress BEGIN
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
            WHERE project_id = OLD.project_id AND year = OLD.year AND status <> 'returned')
    WHERE project_id = OLD.project_id AND year = OLD.year;
END;

CREATE TRIGGER monthly_progress_summary_delete AFTER DELETE ON monthly_progress BEGIN
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
            WHERE project_id = OLD.project_id AND year = OLD.year AND status <> 'returned')
    WHERE project_id = OLD.project_id AND year = OLD.year;
END;

-- A plan added (or moved) after its reports were filed sums them at once.
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

CREATE TRIGGER stage_changes_summary_insert AFTER INSERT ON stage_changes BEGIN
    UPDATE projects SET (started_on, completed_on) = (
        SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
               MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
        FROM stage_changes WHERE project_id = NEW.project_id)
    WHERE id = NEW.project_id;
END;

CREATE TRIGGER stage_changes_summary_update AFTER UPDATE ON stage_changes BEGIN
    UPDATE projects SET (started_on, completed_on) = (
        SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
               MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
        FROM stage_changes WHERE project_id = NEW.project_id)
    WHERE id = NEW.project_id;
    UPDATE projects SET (started_on, completed_on) = (
        SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
               MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
        FROM stage_changes WHERE project_id = OLD.project_id)
    WHERE id = OLD.project_id;
END;

CREATE TRIGGER stage_changes_summary_delete AFTER DELETE ON stage_changes BEGIN
    UPDATE projects SET (started_on, completed_on) = (
        SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
               MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
        FROM stage_changes WHERE project_id = OLD.project_id)
    WHERE id = OLD.project_id;
END;
