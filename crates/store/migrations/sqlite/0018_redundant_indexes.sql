-- Three indexes repeat the first column of a wider one: projects(district_code) of
-- projects_district_updated, projects(platform_id) of projects_platform_updated and
-- stage_changes(project_id) of stage_changes_reached. A lookup by that column uses the wider
-- index as well (and it still serves the foreign key from stage_changes), while each copy costs
-- every insert and every import: at 100k imported projects the three took 0.15 s of rebuilding
-- and 4 MB of the file (bench/README.md).
DROP INDEX projects_district;
DROP INDEX projects_platform;
DROP INDEX stage_changes_project;
