-- The life of a membership: the admission pipeline with its yearly targets, recognition,
-- exemption, the receiving side's confirmation of transfers, and quality classification.

-- One person on the way into the Party, from "quần chúng ưu tú" to official member. Only
-- dates of what happened are stored; what is due or late is derived from them by the rules
-- in force (domain::membership::admission_progress), so it cannot drift.
CREATE TABLE admissions (
    id                        INTEGER PRIMARY KEY,
    org_id                    INTEGER NOT NULL REFERENCES orgs(id),
    full_name                 TEXT NOT NULL,
    search_text               TEXT NOT NULL,
    birth_date                TEXT NOT NULL,
    gender                    TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    national_id               TEXT,
    phone                     TEXT,
    candidate_listed_on       TEXT,
    course_certificate_on     TEXT,
    application_on            TEXT,
    introduced_on             TEXT,
    cell_vote_on              TEXT,
    grassroots_resolution_on  TEXT,
    admission_decision_on     TEXT,
    admission_extended        INTEGER NOT NULL DEFAULT 0,
    decision_received_on      TEXT,
    ceremony_on               TEXT,
    recognition_vote_on       TEXT,
    recognition_extended      INTEGER NOT NULL DEFAULT 0,
    recognition_decision_on   TEXT,
    -- The registry record made at the ceremony.
    member_id                 INTEGER REFERENCES members(id),
    -- A case that stops (withdrawn, not admitted, not recognised) keeps its dates.
    closed_on                 TEXT,
    close_reason              TEXT,
    created_by                INTEGER REFERENCES users(id),
    created_at                INTEGER NOT NULL
);
CREATE INDEX admissions_by_org ON admissions (org_id);
CREATE INDEX admissions_open ON admissions (org_id) WHERE closed_on IS NULL AND recognition_decision_on IS NULL;

-- How many admissions each organisation plans for a year (chỉ tiêu kết nạp đảng viên).
CREATE TABLE admission_targets (
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    year     INTEGER NOT NULL,
    target   INTEGER NOT NULL CHECK (target >= 0),
    PRIMARY KEY (org_id, year)
);

-- Members keep the reason and start of an exemption from activities (miễn sinh hoạt).
ALTER TABLE members ADD COLUMN exempt_since TEXT;
ALTER TABLE members ADD COLUMN exempt_reason TEXT;
-- Admissions and departures in a period are read by these dates.
CREATE INDEX members_by_admitted_on ON members (admitted_on);
CREATE INDEX members_by_ended_on ON members (ended_on) WHERE ended_on IS NOT NULL;

-- The receiving chi bộ confirms that the member presented the introduction letter; a
-- temporary transfer says until when.
ALTER TABLE transfers ADD COLUMN confirmed_on TEXT;
ALTER TABLE transfers ADD COLUMN confirmed_by INTEGER REFERENCES users(id);
ALTER TABLE transfers ADD COLUMN until_on TEXT;
CREATE INDEX transfers_pending ON transfers (to_org_id) WHERE confirmed_on IS NULL;

-- Quality classification (Quy định 366-QĐ/TW) of a member or an organisation for a period
-- ("2025", "2025-Q1", "2020-2025"). `org_id` is the organisation itself, or the member's
-- cell when classified: counts by subtree read it.
CREATE TABLE classifications (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL CHECK (subject IN ('member', 'org')),
    member_id   INTEGER REFERENCES members(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    period      TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('excellent', 'good', 'completed', 'not_completed')),
    score       REAL,
    decided_on  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    CHECK ((subject = 'member') = (member_id IS NOT NULL))
);
CREATE UNIQUE INDEX classifications_of_member ON classifications (member_id, period) WHERE subject = 'member';
CREATE UNIQUE INDEX classifications_of_org ON classifications (org_id, period) WHERE subject = 'org';
CREATE INDEX classifications_by_period ON classifications (period, org_id);
