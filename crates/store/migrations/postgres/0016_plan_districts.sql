-- Each annual plan carries its project's district, so a figure split by district groups the
-- plans by their own column: last year's completion by district no longer joins the projects
-- at all, and both engines read the same statements (on SQLite the plans are also stored in
-- district order; see its 0016).
--
-- The district is the project's, always: whoever writes a plan, it is read from the project as
-- the plan is written, under the project's row lock (the plans' summary trigger takes the same
-- lock), and a project moved to another district takes its plans with it in the same
-- transaction. A plan written concurrently with the move waits for it or is seen by it.
ALTER TABLE annual_plans ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE annual_plans ap SET district_code = p.district_code FROM projects p WHERE p.id = ap.project_id;
ALTER TABLE annual_plans ALTER COLUMN district_code DROP DEFAULT;

CREATE FUNCTION hezuo_annual_plans_district() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT district_code INTO NEW.district_code FROM projects WHERE id = NEW.project_id FOR NO KEY UPDATE;
    RETURN NEW;
END $$;

CREATE TRIGGER annual_plans_district BEFORE INSERT OR UPDATE OF project_id, district_code ON annual_plans
    FOR EACH ROW EXECUTE FUNCTION hezuo_annual_plans_district();

CREATE FUNCTION hezuo_projects_plan_district() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE annual_plans SET district_code = NEW.district_code WHERE project_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER projects_plan_district AFTER UPDATE OF district_code ON projects
    FOR EACH ROW WHEN (OLD.district_code IS DISTINCT FROM NEW.district_code)
    EXECUTE FUNCTION hezuo_projects_plan_district();
