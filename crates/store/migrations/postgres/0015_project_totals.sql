-- The project list's totals row (count and Σ agreed investment) per district, kept by a trigger
-- in the same transaction as every write to `projects`, whoever writes: the unfiltered list of
-- a district (22k projects at 100k) no longer counts and sums its rows on every request, and
-- the city's is the sum of a handful of rows. Never stale: there is no other way to write it.
-- One row per district, so concurrent writers in different districts do not wait on each other
-- (two in the same district queue on its row for the rest of their transactions).
CREATE TABLE project_totals (
    district_code TEXT PRIMARY KEY,
    projects BIGINT NOT NULL,
    investment_cny BIGINT NOT NULL
);

INSERT INTO project_totals (district_code, projects, investment_cny)
SELECT district_code, COUNT(*), COALESCE(SUM(investment_cny), 0) FROM projects GROUP BY district_code;

CREATE FUNCTION hezuo_project_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.district_code IS NOT DISTINCT FROM NEW.district_code
       AND OLD.investment_cny IS NOT DISTINCT FROM NEW.investment_cny THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE project_totals
           SET projects = projects - 1, investment_cny = investment_cny - OLD.investment_cny
         WHERE district_code = OLD.district_code;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO project_totals AS t (district_code, projects, investment_cny)
        VALUES (NEW.district_code, 1, NEW.investment_cny)
        ON CONFLICT (district_code) DO UPDATE
            SET projects = t.projects + 1, investment_cny = t.investment_cny + EXCLUDED.investment_cny;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER projects_totals AFTER INSERT OR UPDATE OF district_code, investment_cny OR DELETE ON projects
FOR EACH ROW EXECUTE FUNCTION hezuo_project_totals();
