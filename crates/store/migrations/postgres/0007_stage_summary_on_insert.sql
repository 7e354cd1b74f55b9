-- A new stage change into 线索/在谈/签约/终止 cannot move a project's first 开工/竣工 date:
-- such an INSERT no longer locks and re-reads the project's changes (the SQLite trigger of
-- the same migration skips it too). UPDATE and DELETE recompute as before (0004).
CREATE OR REPLACE FUNCTION hezuo_stage_changes_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM hezuo_refresh_project_milestones(OLD.project_id);
    END IF;
    IF TG_OP = 'UPDATE'
       OR (TG_OP = 'INSERT' AND NEW.to_stage IN ('started', 'completed', 'producing', 'full_production')) THEN
        PERFORM hezuo_refresh_project_milestones(NEW.project_id);
    END IF;
    RETURN NULL;
END $$;
