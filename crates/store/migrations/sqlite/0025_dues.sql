-- Party dues (đảng phí): what each member's dues are computed from, the decisions that exempt
-- or reduce them, the payments the cell records, and what is set on an organisation (the region
-- of its area for the regional minimum wage, the share it keeps). Months are `YYYY-MM`, which
-- sorts as the calendar does. The dues owed are never stored: the rules compute them from
-- these rows and the settings, so a corrected basis or a new decree changes every month it
-- covers at once.

-- What a member's dues are computed from, from a month on (until the next row).
CREATE TABLE dues_bases (
    member_id    INTEGER NOT NULL REFERENCES members(id),
    from_month   TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('insured', 'pensioner', 'student', 'other')),
    base         INTEGER,
    recorded_by  INTEGER REFERENCES users(id),
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (member_id, from_month)
);

-- A dated decision that exempts a member or reduces the dues (QĐ 01 Đ5), by the organisation
-- that decided it.
CREATE TABLE dues_exemptions (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    kind         TEXT NOT NULL CHECK (kind IN ('social_pension', 'special_hardship', 'hardship')),
    percent      INTEGER NOT NULL,
    from_month   TEXT NOT NULL,
    until_month  TEXT,
    decided_on   TEXT NOT NULL,
    decided_by   INTEGER NOT NULL REFERENCES orgs(id),
    reference    TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES users(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX dues_exemptions_by_member ON dues_exemptions (member_id, from_month);

-- A payment for one month of one member, recorded where it was collected (`org_id`, the cell):
-- cash to the cell, a transfer, or the portal's reference (unique with the member, so that a
-- statement imported twice records nothing twice).
CREATE TABLE dues_payments (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    month        TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    paid_on      TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('cash', 'portal', 'bank')),
    reference    TEXT,
    recorded_by  INTEGER REFERENCES users(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX dues_payments_by_member ON dues_payments (member_id, month);
CREATE INDEX dues_payments_by_org ON dues_payments (org_id, month);
CREATE UNIQUE INDEX dues_payments_by_reference ON dues_payments (member_id, method, reference);

-- What is set on an organisation for the dues of its subtree: the region (1–4) of its area,
-- inherited below until another is set, and the share it keeps when not the settings'.
CREATE TABLE dues_units (
    org_id  INTEGER PRIMARY KEY REFERENCES orgs(id),
    region  INTEGER CHECK (region BETWEEN 1 AND 4),
    keeps   INTEGER CHECK (keeps BETWEEN 0 AND 100)
);

-- What each member paid for each month of a year, kept with every payment recorded: the books
-- of a subtree read a row per member and year instead of a row per payment.
CREATE TABLE dues_paid_years (
    member_id  INTEGER NOT NULL REFERENCES members(id),
    year       INTEGER NOT NULL,
    m01 INTEGER NOT NULL DEFAULT 0, m02 INTEGER NOT NULL DEFAULT 0, m03 INTEGER NOT NULL DEFAULT 0,
    m04 INTEGER NOT NULL DEFAULT 0, m05 INTEGER NOT NULL DEFAULT 0, m06 INTEGER NOT NULL DEFAULT 0,
    m07 INTEGER NOT NULL DEFAULT 0, m08 INTEGER NOT NULL DEFAULT 0, m09 INTEGER NOT NULL DEFAULT 0,
    m10 INTEGER NOT NULL DEFAULT 0, m11 INTEGER NOT NULL DEFAULT 0, m12 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, year)
);
