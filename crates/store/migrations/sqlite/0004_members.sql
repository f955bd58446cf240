-- Members: the registry with its history (which cell, which status, from when), transfers,
-- and member totals maintained per organisation so that roll-up figures are one read.

ALTER TABLE members ADD COLUMN exempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN ended_on TEXT;
ALTER TABLE members ADD COLUMN end_kind TEXT
    CHECK (end_kind IN ('removed_from_list', 'expelled', 'resigned', 'deceased'));
CREATE INDEX members_by_card ON members (card_number);
CREATE INDEX members_by_national_id ON members (national_id);

-- Where a member belonged and with which status, from `valid_from` until `valid_to`
-- (excluded): the figures of any past date come from here.
CREATE TABLE member_periods (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    status      TEXT NOT NULL CHECK (status IN ('probationary', 'full')),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT
);
CREATE INDEX member_periods_by_member ON member_periods (member_id, valid_from);
CREATE INDEX member_periods_by_org ON member_periods (org_id, valid_from);

-- Members now in each organisation's subtree, itself included, kept by every change of
-- a member or of the tree: the stats of the root are one row, not millions.
CREATE TABLE org_member_totals (
    org_id        INTEGER PRIMARY KEY REFERENCES orgs(id),
    full_count    INTEGER NOT NULL DEFAULT 0,
    prob_count    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE transfers (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members(id),
    from_org_id    INTEGER NOT NULL REFERENCES orgs(id),
    to_org_id      INTEGER NOT NULL REFERENCES orgs(id),
    kind           TEXT NOT NULL CHECK (kind IN ('official', 'temporary')),
    effective_on   TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX transfers_by_member ON transfers (member_id, effective_on);

-- Members already registered start their history at their admission.
INSERT INTO member_periods (member_id, org_id, status, valid_from)
    SELECT id, org_id, status, admitted_on FROM members;
