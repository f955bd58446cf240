-- Following tasks up: files attached to tasks, their reports and issued documents;
-- editing and cancelling a task; e-mail reminders; numbering of issued reports.

-- Files live in the database, not on the server's disk: a backup of the database is a
-- backup of everything, and several servers can share one PostgreSQL (DESIGN.md §5).
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);

CREATE TABLE task_files (
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    file_id    INTEGER NOT NULL REFERENCES files(id),
    -- The progress report the file came with, if any.
    report_id  INTEGER REFERENCES task_reports(id),
    PRIMARY KEY (task_id, file_id)
);
CREATE INDEX task_files_by_file ON task_files (file_id);

CREATE TABLE document_files (
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    file_id      INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (document_id, file_id)
);
CREATE INDEX document_files_by_file ON document_files (file_id);

-- A cancelled task leaves every queue, count and report; it stays readable by id.
ALTER TABLE tasks ADD COLUMN cancelled_on TEXT;
ALTER TABLE tasks ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
DROP INDEX tasks_open_by_lead;
DROP INDEX tasks_open;
CREATE INDEX tasks_open_by_lead ON tasks (lead_org_id, due_on) WHERE done_on IS NULL AND cancelled_on IS NULL;
CREATE INDEX tasks_open ON tasks (id) WHERE done_on IS NULL AND cancelled_on IS NULL;

CREATE INDEX tasks_by_document ON tasks (document_id);

-- Where an account's reminders go by e-mail, when the server is given an SMTP relay
-- (its address and password are configuration, never stored here).
ALTER TABLE users ADD COLUMN email TEXT;

-- One e-mail of reminders per account and day, whichever server sends it.
CREATE TABLE reminder_mails (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    sent_on  TEXT NOT NULL,
    PRIMARY KEY (user_id, sent_on)
);

-- The first day of the committees' current term: document serials restart from 01 on
-- it (36-HD/VPTW); empty means "since the first document".
INSERT INTO settings (key, value) VALUES ('term_starts_on', '');
