-- Summaries the cockpit's figures read instead of the report and stage-change rows, kept by
-- triggers in the same transaction as every write to those rows, so a figure is never stale:
-- whatever writes (the store, an import, a bulk load, a hand-written UPDATE), the summary
-- changes with it or not at all. The application never writes them. The stage lists here
-- are the domain's Stage::has_started / has_completed; a contract test holds them equal.

-- Per annual plan: Σ investment of the plan's reports that are not returned, cumulative to each
-- month (done1 = January … done12 = to December), and the first and last month with such a
-- report (NULL: none). Reports of a year without a plan count in no figure and are not summed.
ALTER TABLE annual_plans ADD COLUMN done_from BIGINT;
ALTER TABLE annual_plans ADD COLUMN done_to BIGINT;
ALTER TABLE annual_plans ADD COLUMN done1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done11 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_plans ADD COLUMN done12 BIGINT NOT NULL DEFAULT 0;

-- Per project: the first date it reached 开工 or a later stage, and 竣工 or later (NULL: not yet).
ALTER TABLE projects ADD COLUMN started_on TEXT;
ALTER TABLE projects ADD COLUMN completed_on TEXT;
-- What a figure needs of a project besides the plan, read by an index-only scan instead of the
-- wide project rows: scope (district, platform, unit) and the two dates.
CREATE INDEX projects_figures ON projects(id) INCLUDE (district_code, platform_id, unit_id, started_on, completed_on);

-- Every summary write for a project first takes its project row (FOR NO KEY UPDATE, which
-- foreign-key checks do not wait for). Under READ COMMITTED each later statement then sees
-- everything committed while it waited, so two writers at once (two reports, a report and
-- its plan, two stage changes) cannot leave a summary that misses one of them.
CREATE FUNCTION hezuo_refresh_plan_done(pid BIGINT, yr BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM projects WHERE id = pid FOR NO KEY UPDATE;
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
            WHERE project_id = pid AND year = yr AND status <> 'returned')
    WHERE project_id = pid AND year = yr;
END $$;

CREATE FUNCTION hezuo_monthly_progress_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM hezuo_refresh_plan_done(OLD.project_id, OLD.year);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM hezuo_refresh_plan_done(NEW.project_id, NEW.year);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER monthly_progress_summary AFTER INSERT OR UPDATE OR DELETE ON monthly_progress
    FOR EACH ROW EXECUTE FUNCTION hezuo_monthly_progress_summary();

-- A plan added (or moved) after its reports were filed sums them as it is written (before,
-- not after: a bulk load or an import then writes each plan once, not twice). Plans are
-- rewritten by every report, so pages keep room for the new version next to the old (HOT).
ALTER TABLE annual_plans SET (fillfactor = 80);

CREATE FUNCTION hezuo_annual_plans_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM projects WHERE id = NEW.project_id FOR NO KEY UPDATE;
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
    INTO NEW.done_from, NEW.done_to, NEW.done1, NEW.done2, NEW.done3, NEW.done4, NEW.done5, NEW.done6, NEW.done7, NEW.done8, NEW.done9, NEW.done10, NEW.done11, NEW.done12
    FROM monthly_progress
    WHERE project_id = NEW.project_id AND year = NEW.year AND status <> 'returned';
    RETURN NEW;
END $$;

CREATE TRIGGER annual_plans_summary BEFORE INSERT OR UPDATE OF project_id, year ON annual_plans
    FOR EACH ROW EXECUTE FUNCTION hezuo_annual_plans_summary();

-- Only written when a date changes, so most stage changes (线索 → 在谈 → 签约) leave the
-- project row alone.
CREATE FUNCTION hezuo_refresh_project_milestones(pid BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s TEXT;
    c TEXT;
BEGIN
    PERFORM 1 FROM projects WHERE id = pid FOR NO KEY UPDATE;
    SELECT MIN(CASE WHEN to_stage IN ('started', 'completed', 'producing', 'full_production') THEN changed_on END),
           MIN(CASE WHEN to_stage IN ('completed', 'producing', 'full_production') THEN changed_on END)
    INTO s, c FROM stage_changes WHERE project_id = pid;
    UPDATE projects SET started_on = s, completed_on = c
    WHERE id = pid AND (started_on IS DISTINCT FROM s OR completed_on IS DISTINCT FROM c);
END $$;

CREATE FUNCTION hezuo_stage_changes_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM hezuo_refresh_project_milestones(OLD.project_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM hezuo_refresh_project_milestones(NEW.project_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stage_changes_summary AFTER INSERT OR UPDATE OR DELETE ON stage_changes
    FOR EACH ROW EXECUTE FUNCTION hezuo_stage_changes_summary();

-- Data already there: the same functions the triggers use.
SELECT hezuo_refresh_plan_done(project_id, year) FROM annual_plans;
SELECT hezuo_refresh_project_milestones(id) FROM projects;
