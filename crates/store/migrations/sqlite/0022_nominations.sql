-- The five-step procedure (quy trình 5 bước) for appointing or nominating a cadre: one case per
-- vacancy, its steps as they are completed, and the conferences that vote on it, each an
-- election of the ballot engine (docs/state-machines/nomination.md).
CREATE TABLE nomination_cases (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),
    post                TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                            'deputy_secretary', 'inspection_committee', 'inspection_chair', 'board_head')),
    body_id             INTEGER REFERENCES bodies(id),
    purpose             TEXT NOT NULL CHECK (purpose IN ('appointment', 'nomination')),
    source              TEXT NOT NULL CHECK (source IN ('inside', 'outside')),
    title               TEXT NOT NULL,
    step                TEXT NOT NULL,
    requested_on        TEXT NOT NULL,
    policy_approved_on  TEXT,
    started_on          TEXT,
    closed_on           TEXT,
    decision            TEXT,
    stop_reason         TEXT,
    chosen_name         TEXT,
    created_at          INTEGER NOT NULL
);
CREATE INDEX nomination_cases_by_org ON nomination_cases (org_id, step);

CREATE TABLE nomination_steps (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES nomination_cases(id),
    step          TEXT NOT NULL,
    completed_on  TEXT NOT NULL,
    note          TEXT NOT NULL,
    chosen_name   TEXT
);
CREATE INDEX nomination_steps_by_case ON nomination_steps (case_id);

-- A conference's ballot: only the personnel grant and its counting board see the election.
CREATE TABLE nomination_conferences (
    election_id   INTEGER PRIMARY KEY REFERENCES elections(id),
    case_id       INTEGER NOT NULL REFERENCES nomination_cases(id),
    step          TEXT NOT NULL,
    summoned      INTEGER NOT NULL,
    present       INTEGER NOT NULL
);
CREATE UNIQUE INDEX nomination_conferences_per_step ON nomination_conferences (case_id, step);
