-- 亩均效益评价, the year's results: frozen when the scheme goes to 公示 (and frozen again when
-- corrections are made during it), final when published; objections filed during 公示 and
-- their resolution; the improvement list (整治提升 / 腾笼换鸟) the bottom class feeds, with the
-- land reclaimed and the factory floor vacated.

ALTER TABLE mujun_schemes ADD COLUMN publicity_until TEXT NOT NULL DEFAULT '';

CREATE TABLE mujun_results (
    year BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    score_x100 BIGINT,                       -- NULL: not graded
    class TEXT NOT NULL DEFAULT '',          -- '' when not graded
    rank BIGINT,
    managed_as TEXT NOT NULL DEFAULT '',     -- an exempt enterprise's class
    detail TEXT NOT NULL,                    -- the result with every indicator's explanation (JSON)
    PRIMARY KEY (year, enterprise_id)
);
CREATE INDEX mujun_results_class ON mujun_results(year, class);

CREATE TABLE mujun_objections (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
    resolution TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX mujun_objections_year ON mujun_objections(year, status);

CREATE TABLE mujun_improvements (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,                    -- the evaluation that put the enterprise on the list
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'upgrade' CHECK (kind IN ('upgrade', 'vacate')),  -- 整治提升 / 腾笼换鸟
    measures TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    land_reclaimed_x100 BIGINT NOT NULL DEFAULT 0 CHECK (land_reclaimed_x100 >= 0),   -- 亩, hundredths
    floor_vacated_x100 BIGINT NOT NULL DEFAULT 0 CHECK (floor_vacated_x100 >= 0),     -- m², hundredths
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, enterprise_id)
);
