-- A new stage change can only lower a project's first 开工/竣工 date, never raise it: on
-- INSERT the summary is now updated from the new row alone, and only when it moves a date
-- (a change into 线索/在谈/签约/终止 moves neither). The old trigger re-read every change of
-- the project and rewrote the row each time: 1.4 s of a 100k-project import (bench/README.md).
-- UPDATE and DELETE keep recomputing from the rows (0004).
DROP TRIGGER stage_changes_summary_insert;

CREATE TRIGGER stage_changes_summary_insert AFTER INSERT ON stage_changes
WHEN NEW.to_stage IN ('started', 'completed', 'producing', 'full_production') BEGIN
    UPDATE projects SET
        started_on = CASE WHEN started_on IS NULL OR NEW.changed_on < started_on
                          THEN NEW.changed_on ELSE started_on END,
        completed_on = CASE WHEN NEW.to_stage <> 'started'
                             AND (completed_on IS NULL OR NEW.changed_on < completed_on)
                            THEN NEW.changed_on ELSE completed_on END
    WHERE id = NEW.project_id
      AND (started_on IS NULL OR NEW.changed_on < started_on
           OR (NEW.to_stage <> 'started' AND (completed_on IS NULL OR NEW.changed_on < completed_on)));
END;
