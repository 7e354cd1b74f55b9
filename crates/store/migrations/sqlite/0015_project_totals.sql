-- The project list's totals row (count and Σ agreed investment) per district, kept by triggers
-- in the same transaction as every write to `projects`, whoever writes: the unfiltered list of
-- a district (22k projects at 100k) no longer counts and sums its rows on every request, and
-- the city's is the sum of a handful of rows. Never stale: there is no other way to write it.
CREATE TABLE project_totals (
    district_code TEXT PRIMARY KEY,
    projects BIGINT NOT NULL,
    investment_cny BIGINT NOT NULL
);

INSERT INTO project_totals (district_code, projects, investment_cny)
SELECT district_code, COUNT(*), COALESCE(SUM(investment_cny), 0) FROM projects GROUP BY district_code;

CREATE TRIGGER projects_totals_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO project_totals (district_code, projects, investment_cny)
    VALUES (NEW.district_code, 1, NEW.investment_cny)
    ON CONFLICT (district_code) DO UPDATE
        SET projects = projects + 1, investment_cny = investment_cny + excluded.investment_cny;
END;

CREATE TRIGGER projects_totals_delete AFTER DELETE ON projects
BEGIN
    UPDATE project_totals
       SET projects = projects - 1, investment_cny = investment_cny - OLD.investment_cny
     WHERE district_code = OLD.district_code;
END;

CREATE TRIGGER projects_totals_update AFTER UPDATE OF district_code, investment_cny ON projects
WHEN OLD.district_code IS NOT NEW.district_code OR OLD.investment_cny IS NOT NEW.investment_cny
BEGIN
    UPDATE project_totals
       SET projects = projects - 1, investment_cny = investment_cny - OLD.investment_cny
     WHERE district_code = OLD.district_code;
    INSERT INTO project_totals (district_code, projects, investment_cny)
    VALUES (NEW.district_code, 1, NEW.investment_cny)
    ON CONFLICT (district_code) DO UPDATE
        SET projects = projects + 1, investment_cny = investment_cny + excluded.investment_cny;
END;
