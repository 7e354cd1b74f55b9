-- Cooperation platforms and enclave parks (平台 / 飞地) and their figures by period: year to
-- date as of a month, as offices report them ("1—11月"), so 同比 compares the same months.
-- Money is integer yuan; an enclave's agreed shares are per mille of output and of tax.

CREATE TABLE coop_platforms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('platform', 'enclave')),
    district_code TEXT NOT NULL REFERENCES districts(code),
    partner_region TEXT NOT NULL DEFAULT '',
    output_share BIGINT CHECK (output_share BETWEEN 0 AND 1000),
    tax_share BIGINT CHECK (tax_share BETWEEN 0 AND 1000),
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE coop_platform_figures (
    id INTEGER PRIMARY KEY,
    platform_id BIGINT NOT NULL REFERENCES coop_platforms(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    fixed_asset_investment BIGINT NOT NULL DEFAULT 0, -- 固定资产投资
    industrial_output BIGINT NOT NULL DEFAULT 0,      -- 规上工业总产值
    projects BIGINT NOT NULL DEFAULT 0,               -- 引进项目（个）
    projects_investment BIGINT NOT NULL DEFAULT 0,    -- 引进项目总投资
    tax BIGINT NOT NULL DEFAULT 0,                    -- 税收
    output_arrived BIGINT NOT NULL DEFAULT 0,         -- 飞地: 产值 counted for the partner
    tax_arrived BIGINT NOT NULL DEFAULT 0,            -- 飞地: tax that reached the partner
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (fixed_asset_investment >= 0 AND industrial_output >= 0 AND projects >= 0
           AND projects_investment >= 0 AND tax >= 0 AND output_arrived >= 0 AND tax_arrived >= 0),
    UNIQUE (platform_id, year, month)
);
