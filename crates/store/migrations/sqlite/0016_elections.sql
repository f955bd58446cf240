-- Elections by secret ballot (QĐ 190-QĐ/TW; dangvu_domain::elections). One row is one ballot
-- of one round: a further round (bầu tiếp) is an election of its own that names the one before.
CREATE TABLE elections (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    -- The congress it belongs to, when it belongs to one (the congresses capability).
    congress_id   INTEGER,
    previous_id   INTEGER REFERENCES elections(id),
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('members_congress', 'delegates_congress', 'conference')),
    ballot        TEXT NOT NULL CHECK (ballot IN ('surplus', 'approval')),
    seats         INTEGER NOT NULL CHECK (seats > 0),
    -- Điều 30: those summoned and, as JSON {reason: n}, those the base leaves out.
    summoned      INTEGER NOT NULL,
    excluded      TEXT NOT NULL,
    -- The count's state (dangvu_domain::elections::state::State).
    state         TEXT NOT NULL CHECK (state IN ('awaiting_entries', 'entries_differ', 'tie', 'final', 'sealed')),
    -- The agreed reconciliation, once the entries agree or the head resolved them.
    issued        INTEGER,
    returned      INTEGER,
    -- The presidium's decision on a tie for the last seats: ballot numbers, comma-separated.
    tie_decision  TEXT,
    tie_note      TEXT,
    record_fingerprint TEXT,
    result_fingerprint TEXT,
    sealed_on     TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX elections_by_org ON elections (org_id, id);

-- The list, in ballot order: `number` is the person's number on the ballot, from 1.
CREATE TABLE election_candidates (
    id            INTEGER PRIMARY KEY,
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    number        INTEGER NOT NULL,
    full_name     TEXT NOT NULL,
    member_id     INTEGER REFERENCES members(id),
    -- A nomination from the floor, with the vote that added it (Điều 14).
    from_floor    INTEGER NOT NULL,
    present       INTEGER,
    agreed        INTEGER,
    UNIQUE (election_id, number)
);

-- The counting board (ban kiểm phiếu, Điều 8): its head, tellers and observers.
CREATE TABLE election_board (
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('head', 'teller', 'observer')),
    PRIMARY KEY (election_id, user_id)
);

-- One teller's entry of the whole pile, while the count is not final. Its ballots are in the
-- order they were read, saved one by one as the teller types them; `finished_at` is set when
-- the teller declares the pile entered, and only finished entries are compared. The ballots
-- are deleted when the count is final, so that no per-ballot row keeps a teller, a time or an
-- order. The audit log keeps each finished entry's totals and fingerprint.
CREATE TABLE election_entries (
    id            INTEGER PRIMARY KEY,
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    teller_id     INTEGER NOT NULL REFERENCES users(id),
    issued        INTEGER NOT NULL,
    returned      INTEGER NOT NULL,
    saved_at      INTEGER NOT NULL,
    finished_at   INTEGER,
    UNIQUE (election_id, teller_id)
);
CREATE TABLE election_entry_ballots (
    entry_id      INTEGER NOT NULL REFERENCES election_entries(id),
    position      INTEGER NOT NULL,
    ballot        TEXT NOT NULL,
    PRIMARY KEY (entry_id, position)
);

-- The final per-ballot record: each ballot's canonical text, written sorted, with nothing
-- that links it to a teller, a time or its place in the pile.
CREATE TABLE election_ballots (
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    ballot        TEXT NOT NULL
);
CREATE INDEX election_ballots_by_election ON election_ballots (election_id);
