-- Tasks a cell meeting gives to its members ("phân công nhiệm vụ cho đảng viên"), followed as
-- the committees' tasks are: the member reports progress and completion, the secretary accepts
-- the work or returns it. Done means accepted; the status (on time, late) is derived.
CREATE TABLE cell_meeting_tasks (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES cell_meetings(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    title         TEXT NOT NULL,
    due_on        TEXT,
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    -- The member's last report, and whether it waits for the secretary.
    report        TEXT NOT NULL DEFAULT '',
    reported_at   INTEGER,
    review        TEXT NOT NULL DEFAULT 'none' CHECK (review IN ('none', 'pending', 'accepted', 'returned')),
    done_on       TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX cell_meeting_tasks_by_meeting ON cell_meeting_tasks (meeting_id);
CREATE INDEX cell_meeting_tasks_by_member ON cell_meeting_tasks (member_id, done_on);
