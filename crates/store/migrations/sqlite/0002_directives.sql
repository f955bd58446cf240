-- Directives and tasks: the documents registry, meetings with their conclusions, and
-- tasks followed until done.

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER REFERENCES orgs(id),
    number       TEXT NOT NULL,
    serial       INTEGER NOT NULL,
    doc_type     TEXT NOT NULL,
    issuer       TEXT NOT NULL,
    title        TEXT NOT NULL,
    search_text  TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
-- Serials restart every term, so a number repeats across years but never on one day.
CREATE UNIQUE INDEX documents_by_number ON documents (number, issued_on);
CREATE INDEX documents_by_org ON documents (org_id, issued_on);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    chair        TEXT NOT NULL DEFAULT '',
    attendees    TEXT NOT NULL DEFAULT '',
    reports      TEXT NOT NULL DEFAULT '',
    conclusion   TEXT NOT NULL DEFAULT '',
    document_id  INTEGER REFERENCES documents(id),
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX meetings_by_org ON meetings (org_id, held_on);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    lead_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    meeting_id   INTEGER REFERENCES meetings(id),
    document_id  INTEGER REFERENCES documents(id),
    starts_on    TEXT,
    due_on       TEXT,
    recurrence   TEXT CHECK (recurrence IN ('monthly', 'quarterly', 'half_yearly', 'yearly')),
    progress     INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done_on      TEXT,
    review       TEXT NOT NULL DEFAULT 'none' CHECK (review IN ('none', 'pending', 'accepted', 'returned')),
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX tasks_by_lead ON tasks (lead_org_id, due_on, done_on);
CREATE INDEX tasks_by_org ON tasks (org_id, due_on, done_on);
CREATE INDEX tasks_by_meeting ON tasks (meeting_id);
-- Queues and reminders read only the unfinished tasks: their cost follows the open work,
-- not five years of history.
CREATE INDEX tasks_open_by_lead ON tasks (lead_org_id, due_on) WHERE done_on IS NULL;
CREATE INDEX tasks_open ON tasks (id) WHERE done_on IS NULL;

CREATE TABLE task_support (
    task_id  INTEGER NOT NULL REFERENCES tasks(id),
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (task_id, org_id)
);
CREATE INDEX task_support_by_org ON task_support (org_id, task_id);

CREATE TABLE task_reports (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks(id),
    kind         TEXT NOT NULL CHECK (kind IN ('progress', 'accepted', 'returned')),
    progress     INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    done         INTEGER NOT NULL DEFAULT 0,
    reported_on  TEXT NOT NULL,
    reported_by  INTEGER REFERENCES users(id),
    reported_at  INTEGER NOT NULL
);
CREATE INDEX task_reports_by_task ON task_reports (task_id, id);

-- Settings an administrator changes without a new release.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('reminder_days', '7');
