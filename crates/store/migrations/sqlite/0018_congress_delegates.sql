-- Delegates of a congress (dangvu_domain::congresses::delegates): the seats allocated to each
-- unit below, the list of those who sit (delegates, or members at a members' congress) with
-- their credentials, the sessions and who checked in at each.

CREATE TABLE congress_seats (
    congress_id   INTEGER NOT NULL REFERENCES congresses(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    official      INTEGER NOT NULL CHECK (official >= 0),
    alternates    INTEGER NOT NULL CHECK (alternates >= 0),
    PRIMARY KEY (congress_id, org_id)
);

CREATE TABLE congress_delegates (
    id            INTEGER PRIMARY KEY,
    congress_id   INTEGER NOT NULL REFERENCES congresses(id),
    -- The number on the delegate's card, from 1 in each congress: what the check-in desk types.
    card          INTEGER NOT NULL,
    -- The delegation: the unit that elected them (the congress's own organisation for a
    -- delegate by right or a summoned member).
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    member_id     INTEGER REFERENCES members(id),
    full_name     TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('elected', 'ex_officio', 'appointed', 'member')),
    role          TEXT NOT NULL CHECK (role IN ('official', 'alternate')),
    -- The order within the delegation and role: by votes when elected (an alternate with more
    -- votes is called first).
    rank          INTEGER NOT NULL,
    votes         INTEGER,
    election_id   INTEGER REFERENCES elections(id),
    credentials   TEXT NOT NULL CHECK (credentials IN ('awaiting', 'accepted', 'rejected', 'replaced')),
    reason        TEXT NOT NULL DEFAULT '',
    -- An alternate who took an official's place names that official.
    replaces      INTEGER REFERENCES congress_delegates(id),
    -- A members' congress: why the convening committee leaves the member out of the base.
    exclusion     TEXT CHECK (exclusion IN ('temporary_transfer', 'exempt_absent', 'suspended', 'absent_with_reason')),
    decided_by    INTEGER REFERENCES users(id),
    decided_at    INTEGER,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX congress_delegates_by_card ON congress_delegates (congress_id, card);
CREATE UNIQUE INDEX congress_delegates_by_member ON congress_delegates (congress_id, member_id)
    WHERE member_id IS NOT NULL;
CREATE INDEX congress_delegates_by_delegation ON congress_delegates (congress_id, org_id, role, rank);
CREATE INDEX congress_delegates_of_member ON congress_delegates (member_id);

CREATE TABLE congress_sessions (
    id            INTEGER PRIMARY KEY,
    congress_id   INTEGER NOT NULL REFERENCES congresses(id),
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    held_on       TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX congress_sessions_by_number ON congress_sessions (congress_id, number);

CREATE TABLE congress_check_ins (
    session_id    INTEGER NOT NULL REFERENCES congress_sessions(id),
    delegate_id   INTEGER NOT NULL REFERENCES congress_delegates(id),
    checked_in_by INTEGER REFERENCES users(id),
    checked_in_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, delegate_id)
);
CREATE INDEX congress_check_ins_by_delegate ON congress_check_ins (delegate_id);

-- Congress documents (36-HD/VPTW): one series from 01 shared by every type, from the
-- preparatory session to the close, so "01-NQ/ĐH" repeats across congresses; the registry's
-- uniqueness of a number on a day holds for the other documents.
ALTER TABLE documents ADD COLUMN congress_id INTEGER REFERENCES congresses(id);
DROP INDEX documents_by_number;
CREATE UNIQUE INDEX documents_by_number ON documents (number, issued_on) WHERE congress_id IS NULL;
CREATE UNIQUE INDEX documents_by_congress ON documents (congress_id, serial) WHERE congress_id IS NOT NULL;

-- The subcommittees that prepare a congress, their people and their tasks (each a task of the
-- tasks capability, so the dashboards follow it).
CREATE TABLE congress_subcommittees (
    id            INTEGER PRIMARY KEY,
    congress_id   INTEGER NOT NULL REFERENCES congresses(id),
    kind          TEXT NOT NULL CHECK (kind IN ('documents', 'personnel', 'organisation', 'propaganda', 'other')),
    name          TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX congress_subcommittees_by_name ON congress_subcommittees (congress_id, name);

CREATE TABLE congress_subcommittee_members (
    id               INTEGER PRIMARY KEY,
    subcommittee_id  INTEGER NOT NULL REFERENCES congress_subcommittees(id),
    member_id        INTEGER REFERENCES members(id),
    full_name        TEXT NOT NULL,
    seat             TEXT NOT NULL CHECK (seat IN ('head', 'deputy', 'secretary', 'member')),
    title            TEXT NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES users(id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX congress_subcommittee_members_by_subcommittee ON congress_subcommittee_members (subcommittee_id);
-- One head a subcommittee, even when two offices name one at once.
CREATE UNIQUE INDEX congress_subcommittee_heads ON congress_subcommittee_members (subcommittee_id) WHERE seat = 'head';

CREATE TABLE congress_subcommittee_tasks (
    subcommittee_id  INTEGER NOT NULL REFERENCES congress_subcommittees(id),
    task_id          INTEGER NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (subcommittee_id, task_id)
);

-- The targets table of a draft's version (chỉ tiêu), kept as data: a new version carries the
-- one before unless it brings its own; a version's table never changes after.
CREATE TABLE congress_draft_targets (
    draft_id         INTEGER NOT NULL REFERENCES congress_drafts(id),
    version          INTEGER NOT NULL,
    row_number       INTEGER NOT NULL,
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    previous_target  TEXT NOT NULL DEFAULT '',
    achieved         TEXT NOT NULL DEFAULT '',
    next_target      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (draft_id, version, row_number)
);
