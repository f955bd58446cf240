-- Petitions (đơn thư): complaints, denunciations, proposals and feedback from intake to outcome
-- (docs/state-machines/petition.md). The sender is sealed with the server's identity key
-- (`sender_sealed`): this database alone never names a sender. `summary` is the content with the
-- sender's own name, address and phone taken out; `words` its folded words for finding repeats.
-- `rule` is the time limit that applied, copied when the case was registered.
CREATE TABLE petitions (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES orgs(id),
    number               TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('post', 'handed_in', 'reception', 'forwarded', 'online')),
    kind                 TEXT NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'proposal', 'feedback')),
    summary              TEXT NOT NULL,
    words                TEXT NOT NULL,
    concerns             TEXT NOT NULL CHECK (concerns IN ('member', 'org', 'state')),
    concerns_member_id   INTEGER REFERENCES members(id),
    concerns_org_id      INTEGER REFERENCES orgs(id),
    concerns_text        TEXT NOT NULL,
    competent_org_id     INTEGER REFERENCES orgs(id),
    congress_id          INTEGER REFERENCES congresses(id),
    reception_id         INTEGER,
    state                TEXT NOT NULL,
    not_handled_reason   TEXT,
    repeat_of            INTEGER REFERENCES petitions(id),
    guided_to_denounce   INTEGER NOT NULL DEFAULT 0,
    rule                 TEXT NOT NULL,
    accepted_on          TEXT,
    extensions           INTEGER NOT NULL DEFAULT 0,
    accept_due_on        TEXT NOT NULL,
    due_on               TEXT,
    closed_on            TEXT,
    outcome              TEXT,
    outcome_note         TEXT,
    forwarded_to         TEXT,
    has_sender           INTEGER NOT NULL,
    sender_sealed        TEXT,
    created_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX petitions_number ON petitions (org_id, number);
CREATE INDEX petitions_by_org ON petitions (org_id, state, received_on);
CREATE INDEX petitions_by_received ON petitions (received_on);
-- A register filtered by status, newest first, walks this and stops at the page's end.
CREATE INDEX petitions_by_state ON petitions (state, id);
CREATE INDEX petitions_by_member ON petitions (concerns_member_id) WHERE concerns_member_id IS NOT NULL;
CREATE INDEX petitions_by_concerned_org ON petitions (concerns_org_id) WHERE concerns_org_id IS NOT NULL;
CREATE INDEX petitions_by_concerned_text ON petitions (concerns, concerns_text);

-- What happened to a case, in order: each step with its date, note and decision.
CREATE TABLE petition_events (
    id            INTEGER PRIMARY KEY,
    petition_id   INTEGER NOT NULL REFERENCES petitions(id),
    event         TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    note          TEXT NOT NULL,
    decision      TEXT,
    actor_name    TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX petition_events_by_case ON petition_events (petition_id);

-- The pauses while the sender's clarification is awaited; `until_on` empty while it lasts.
CREATE TABLE petition_pauses (
    id            INTEGER PRIMARY KEY,
    petition_id   INTEGER NOT NULL REFERENCES petitions(id),
    from_on       TEXT NOT NULL,
    until_on      TEXT
);
CREATE INDEX petition_pauses_by_case ON petition_pauses (petition_id);

-- The accounts handling a case: only they (and those a disclosure names) read a denouncer.
CREATE TABLE petition_handlers (
    petition_id   INTEGER NOT NULL REFERENCES petitions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    assigned_on   TEXT NOT NULL,
    PRIMARY KEY (petition_id, user_id)
);
CREATE INDEX petition_handlers_by_user ON petition_handlers (user_id);

-- A decision of the head of the inspection committee showing a denouncer to someone else.
CREATE TABLE petition_disclosures (
    id            INTEGER PRIMARY KEY,
    petition_id   INTEGER NOT NULL REFERENCES petitions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    reason        TEXT NOT NULL,
    decided_by    INTEGER NOT NULL REFERENCES users(id),
    decided_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX petition_disclosures_once ON petition_disclosures (petition_id, user_id);

-- The scanned letters, sealed like the sender (a denunciation's scan names the denouncer); their
-- names are not kept (a file name may name the sender too), only the kind of file.
CREATE TABLE petition_scans (
    id            INTEGER PRIMARY KEY,
    petition_id   INTEGER NOT NULL REFERENCES petitions(id),
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sealed        BLOB NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX petition_scans_by_case ON petition_scans (petition_id);

-- The heads of inspection committees (custodians of denouncers' identities), in their scope.
ALTER TABLE users ADD COLUMN petition_custodian INTEGER NOT NULL DEFAULT 0;

-- Citizens' reception sessions (tiếp công dân): their matters become petitions.
CREATE TABLE reception_sessions (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    held_on       TEXT NOT NULL,
    leader        TEXT NOT NULL,
    people        INTEGER NOT NULL,
    matters       TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX reception_sessions_by_org ON reception_sessions (org_id, held_on);
