-- Foundation: the organisation tree with its history, bodies, accounts, sessions,
-- the audit log, and the member records the roll-up figures count.

CREATE TABLE orgs (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    founded_on      TEXT NOT NULL,
    ended_on        TEXT,
    end_reason      TEXT CHECK (end_reason IN ('dissolved', 'merged')),
    merged_into_id  INTEGER REFERENCES orgs(id),
    created_at      INTEGER NOT NULL
);

-- One row per period in which an organisation had the same name and place in the tree.
-- valid_to is exclusive; NULL means "still so".
CREATE TABLE org_versions (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    parent_id   INTEGER REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    search_text TEXT NOT NULL,
    path        TEXT NOT NULL,
    depth       INTEGER NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    change      TEXT NOT NULL
);
CREATE INDEX org_versions_by_org ON org_versions (org_id, valid_from);
CREATE INDEX org_versions_by_parent ON org_versions (parent_id, valid_from);
CREATE INDEX org_versions_by_path ON org_versions (path, valid_from, valid_to, kind, org_id);
-- Subtree counts by kind: one range per kind, no sort (see orgs::stats).
CREATE INDEX org_versions_by_kind_path ON org_versions (kind, path, valid_from, valid_to);

CREATE TABLE bodies (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX bodies_by_org ON bodies (org_id);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    full_name     TEXT NOT NULL,
    search_text   TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    gender        TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    status        TEXT NOT NULL CHECK (status IN ('probationary', 'full')),
    admitted_on   TEXT NOT NULL,
    ceremony_on   TEXT,
    official_on   TEXT,
    national_id   TEXT,
    phone         TEXT,
    card_number   TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX members_by_org ON members (org_id, status);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    org_id         INTEGER REFERENCES orgs(id),
    member_id      INTEGER REFERENCES members(id),
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

-- Only a hash of the session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor_id     INTEGER,
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    INTEGER,
    before       TEXT,
    after        TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);

-- The last entry of the chain: a removed tail is caught, and appends are serialised.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
