-- Cell meetings (sinh hoạt chi bộ) as the member's handbook keeps them: the meeting, each
-- member's reply and recorded attendance, the minutes in versions, members' comments, and one
-- row per cell and month that supervision reads instead of the attendance rows.

CREATE TABLE cell_meetings (
    id              INTEGER PRIMARY KEY,
    -- A cell (chi bộ) or a grassroots cell (chi bộ cơ sở).
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    kind            TEXT NOT NULL CHECK (kind IN ('regular', 'thematic')),
    title           TEXT NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    -- Microseconds since the epoch (UTC); `month` is yyyymm of that instant in UTC+7.
    scheduled_at    INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (state IN ('scheduled', 'held', 'approved', 'cancelled')),
    -- JSON list of the agenda items' titles.
    agenda          TEXT NOT NULL DEFAULT '[]',
    -- Counters of the recorded attendance, kept with each write of it.
    recorded        INTEGER NOT NULL DEFAULT 0,
    present         INTEGER NOT NULL DEFAULT 0,
    excused         INTEGER NOT NULL DEFAULT 0,
    absent          INTEGER NOT NULL DEFAULT 0,
    minutes_version INTEGER NOT NULL DEFAULT 0,
    cancel_reason   TEXT,
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX cell_meetings_by_org ON cell_meetings (org_id, scheduled_at);
CREATE INDEX cell_meetings_by_month ON cell_meetings (month, org_id);

-- One row per member and meeting: the member's reply beforehand and the status recorded.
CREATE TABLE cell_meeting_attendance (
    meeting_id      INTEGER NOT NULL REFERENCES cell_meetings(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    month           INTEGER NOT NULL,
    reply           TEXT CHECK (reply IN ('attending', 'excused')),
    reply_reason    TEXT,
    replied_at      INTEGER,
    status          TEXT CHECK (status IN ('present', 'excused', 'absent')),
    reason          TEXT,
    -- Regular meetings missed without reason running, this one included (0 otherwise).
    absent_streak   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;
CREATE INDEX cell_attendance_by_member ON cell_meeting_attendance (member_id, month);
CREATE INDEX cell_attendance_absent ON cell_meeting_attendance (month, absent_streak) WHERE absent_streak > 0;

-- The minutes in versions: an approved version never changes; a change after approval is a
-- new version, audited.
CREATE TABLE cell_meeting_minutes (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES cell_meetings(id),
    version         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    -- JSON: chair, secretary, guests, per agenda item the speakers and the conclusion, self-score.
    content         TEXT NOT NULL DEFAULT '{}',
    change_reason   TEXT NOT NULL DEFAULT '',
    approved_at     INTEGER,
    approved_by     INTEGER REFERENCES users(id),
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (meeting_id, version)
);
CREATE TRIGGER cell_meeting_minutes_locked BEFORE UPDATE ON cell_meeting_minutes
WHEN OLD.approved_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'approved minutes are locked'); END;
CREATE TRIGGER cell_meeting_minutes_kept BEFORE DELETE ON cell_meeting_minutes
WHEN OLD.approved_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'approved minutes are locked'); END;

CREATE TABLE cell_meeting_resolutions (
    id              INTEGER PRIMARY KEY,
    minutes_id      INTEGER NOT NULL REFERENCES cell_meeting_minutes(id),
    ordinal         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    votes_for       INTEGER,
    votes_against   INTEGER,
    votes_abstain   INTEGER
);
CREATE INDEX cell_meeting_resolutions_by_minutes ON cell_meeting_resolutions (minutes_id, ordinal);

-- Members' comments on the agenda items, before the meeting.
CREATE TABLE cell_meeting_comments (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES cell_meetings(id),
    -- The position of the agenda item, from 1; 0 for the meeting as a whole.
    agenda_item     INTEGER NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX cell_meeting_comments_by_meeting ON cell_meeting_comments (meeting_id, id);

-- One row per cell and month, recomputed exactly from that month's meetings whenever their
-- attendance changes: supervision of 15,000 cells reads these, never the attendance rows.
-- Keyed by the cell, so moving a cell to another committee carries its history with it.
CREATE TABLE cell_meeting_months (
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    month           INTEGER NOT NULL,
    held            INTEGER NOT NULL DEFAULT 0,
    regular_held    INTEGER NOT NULL DEFAULT 0,
    thematic_held   INTEGER NOT NULL DEFAULT 0,
    recorded        INTEGER NOT NULL DEFAULT 0,
    present         INTEGER NOT NULL DEFAULT 0,
    excused         INTEGER NOT NULL DEFAULT 0,
    absent          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, month)
) WITHOUT ROWID;
