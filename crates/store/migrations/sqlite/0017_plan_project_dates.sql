-- Each annual plan also carries its project's 开工 and 竣工 dates (`started_on`,
-- `completed_on`, kept on the project by 0004's triggers), beside its district (0016). A plan
-- figure for the whole city or a district — 开工率 and 竣工率 count the plans whose project
-- started or completed by the period's end — then reads the plans alone, where it joined every
-- plan of the year to its project (at 100k projects the join was half the split by district's
-- grouped statement).
--
-- The copy is the project's, always, and one set of triggers keeps all three columns: a plan
-- written without them or with others takes the project's as it is written (the store names
-- them as it inserts, so nothing is written twice then); a project whose district or dates
-- change — a move, a stage change, a stage change deleted — passes them to its plans in the same
-- transaction. 0016's district triggers are replaced by these.
ALTER TABLE annual_plans ADD COLUMN started_on TEXT;
ALTER TABLE annual_plans ADD COLUMN completed_on TEXT;
UPDATE annual_plans SET (started_on, completed_on) =
    (SELECT started_on, completed_on FROM projects WHERE id = annual_plans.project_id);

DROP TRIGGER annual_plans_district_insert;
DROP TRIGGER annual_plans_district_update;
DROP TRIGGER projects_plan_district;

CREATE TRIGGER annual_plans_project_copy_insert AFTER INSERT ON annual_plans
WHEN (NEW.district_code, NEW.started_on, NEW.completed_on) IS NOT
    (SELECT district_code, started_on, completed_on FROM projects WHERE id = NEW.project_id)
BEGIN
    UPDATE annual_plans SET (district_code, started_on, completed_on) =
        (SELECT district_code, started_on, completed_on FROM projects WHERE id = NEW.project_id)
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

CREATE TRIGGER annual_plans_project_copy_update
AFTER UPDATE OF project_id, district_code, started_on, completed_on ON annual_plans
WHEN (NEW.district_code, NEW.started_on, NEW.completed_on) IS NOT
    (SELECT district_code, started_on, completed_on FROM projects WHERE id = NEW.project_id)
BEGIN
    UPDATE annual_plans SET (district_code, started_on, completed_on) =
        (SELECT district_code, started_on, completed_on FROM projects WHERE id = NEW.project_id)
    WHERE project_id = NEW.project_id AND year = NEW.year;
END;

CREATE TRIGGER projects_plan_copy AFTER UPDATE OF district_code, started_on, completed_on ON projects
WHEN OLD.district_code IS NOT NEW.district_code OR OLD.started_on IS NOT NEW.started_on
    OR OLD.completed_on IS NOT NEW.completed_on
BEGIN
    UPDATE annual_plans
    SET district_code = NEW.district_code, started_on = NEW.started_on, completed_on = NEW.completed_on
    WHERE project_id = NEW.id;
END;
