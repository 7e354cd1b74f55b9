-- 亩均效益评价: enterprises by 统一社会信用代码, their annual data (missing stays NULL — never a
-- silent zero), and the year's scheme as the office configured it (TOML text) with its stage
-- (draft → 公示 → final).

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,        -- 18 characters, check character verified
    name TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES districts(code),
    industry TEXT NOT NULL DEFAULT '',
    above_scale BIGINT NOT NULL DEFAULT 1,   -- 规上 = 1, 规下 = 0
    land_owned_x100 BIGINT NOT NULL DEFAULT 0,  -- 亩, hundredths
    land_leased_x100 BIGINT NOT NULL DEFAULT 0,
    exempt TEXT NOT NULL DEFAULT '',         -- 公用事业, 在建, 新办 … (empty: graded)
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX enterprises_district ON enterprises(district_code);

CREATE TABLE enterprise_years (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    tax BIGINT,                              -- yuan
    value_added BIGINT,
    revenue BIGINT,
    energy_x100 BIGINT,                      -- 吨标煤, hundredths
    emission_x100 BIGINT,
    electricity BIGINT,                      -- kWh
    employees BIGINT,
    rnd BIGINT,
    flags TEXT NOT NULL DEFAULT '',          -- the scheme's bonus/deduction items that apply, joined with 、
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (enterprise_id, year)
);
CREATE INDEX enterprise_years_year ON enterprise_years(year);

CREATE TABLE mujun_schemes (
    year BIGINT PRIMARY KEY,
    scheme_toml TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'draft' CHECK (stage IN ('draft', 'publicized', 'final')),
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
