-- Indexes for the figures at scale, chosen by measuring (bench/README.md), not by guessing.

-- A plan's sum of reports to a month reads only this index, never the report rows: the
-- cockpit sums one range of it per plan (project, year, months ≤ M, status, amount).
CREATE INDEX monthly_progress_plan ON monthly_progress(project_id, year, month, status, invested);

-- The project list's default order (latest change first) and its totals (count, Σ investment)
-- for a district user, a platform user and the whole city, read from an index in order
-- instead of sorting every project in scope.
CREATE INDEX projects_district_updated ON projects(district_code, updated_at, id, investment_cny);
CREATE INDEX projects_platform_updated ON projects(platform_id, updated_at, id, investment_cny);
CREATE INDEX projects_updated ON projects(updated_at, id, investment_cny);

-- 签约 statistics (count, Σ, tiers, by origin, by chain) for a period read only the index.
DROP INDEX projects_signed_on;
CREATE INDEX projects_signed ON projects(signed_on, investment_cny, origin, chain_id);
