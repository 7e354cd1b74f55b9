-- Paired assistance (对口工作): programmes by year, type and partner region, their indicators
-- against the province's targets, assistance funds with every disbursement, people dispatched
-- and consumption-assistance sales. Amounts of indicators are hundredths of their unit; money
-- is integer yuan. A fund's payments can never exceed what was allocated to it (CHECK below).

CREATE TABLE assistance_programmes (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('aid_xinjiang', 'aid_qinghai', 'east_west', 'mountain_sea', 'interprovincial')),
    partner_region TEXT NOT NULL,            -- 结对地区, e.g. 新疆阿克苏地区柯坪县
    name TEXT NOT NULL,
    team_unit_id BIGINT REFERENCES units(id), -- the on-site team (前方指挥部) that runs it
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, name)
);
CREATE INDEX assistance_programmes_year ON assistance_programmes(year, kind);

CREATE TABLE assistance_indicators (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES assistance_programmes(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,                      -- 财政援助资金, 援助项目, 消费帮扶 …
    unit TEXT NOT NULL,                      -- 万元, 个, 人次 …
    target_x100 BIGINT NOT NULL CHECK (target_x100 >= 0),  -- the province's target
    actual_x100 BIGINT NOT NULL DEFAULT 0 CHECK (actual_x100 >= 0), -- cumulative for the year
    as_of TEXT,                              -- YYYY-MM the actual stands at
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (programme_id, name)
);

CREATE TABLE assistance_funds (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES assistance_programmes(id) ON DELETE CASCADE,
    project TEXT NOT NULL,                   -- the assistance project the money goes to
    allocated BIGINT NOT NULL CHECK (allocated > 0),
    disbursed BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (disbursed >= 0 AND disbursed <= allocated)
);
CREATE INDEX assistance_funds_programme ON assistance_funds(programme_id);

CREATE TABLE assistance_disbursements (
    id INTEGER PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES assistance_funds(id) ON DELETE CASCADE,
    amount BIGINT NOT NULL CHECK (amount > 0),
    paid_on TEXT NOT NULL,                   -- YYYY-MM-DD
    note TEXT NOT NULL DEFAULT '',
    made_by BIGINT REFERENCES users(id),
    made_at TEXT NOT NULL
);
CREATE INDEX assistance_disbursements_fund ON assistance_disbursements(fund_id, paid_on);

CREATE TABLE assistance_people (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES assistance_programmes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,                      -- 挂职干部, 专业技术人才, 柔性专家 …
    batch TEXT NOT NULL DEFAULT '',          -- 第N批
    place TEXT NOT NULL DEFAULT '',
    start_on TEXT NOT NULL,
    end_on TEXT
);
CREATE INDEX assistance_people_programme ON assistance_people(programme_id);

CREATE TABLE assistance_sales (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES assistance_programmes(id) ON DELETE CASCADE,
    product TEXT NOT NULL,
    region TEXT NOT NULL,                    -- where the product comes from
    amount BIGINT NOT NULL CHECK (amount > 0), -- yuan
    sold_on TEXT NOT NULL
);
CREATE INDEX assistance_sales_programme ON assistance_sales(programme_id, sold_on);
